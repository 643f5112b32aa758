using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

public class SchemaCommandTests
{
    [Fact]
    public void Schema_writes_the_checked_in_values_schema()
    {
        var r = CliRunner.Run("schema");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "deploy", "schema", "values.schema.json")), r.Stdout);
    }
}
