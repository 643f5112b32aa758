using AiGatewayModels.Engine.Diagnostics;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Diagnostics;

public sealed class FieldPathAndShownTests
{
    [Theory]
    [InlineData("", "models", "models")]
    [InlineData("models", "gpt-4o", "models.gpt-4o")]
    [InlineData("rateLimitPolicy.labels", "app.kubernetes.io/name", "rateLimitPolicy.labels[\"app.kubernetes.io/name\"]")]
    [InlineData("models", "gpt 4", "models[\"gpt 4\"]")]
    [InlineData("models", "", "models[\"\"]")]
    [InlineData("", "a.b", "[\"a.b\"]")]
    [InlineData("backends", "sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA", "backends[<withheld>]")]
    public void Child_paths_read_like_the_values(string parent, string key, string expected) => Assert.Equal(expected, FieldPath.Child(parent, key));

    [Fact]
    public void Index_paths_use_brackets() => Assert.Equal("a.rates[12]", FieldPath.Index("a.rates", 12));

    [Theory]
    [InlineData(null, "null")]
    [InlineData("gpt-4o", "\"gpt-4o\"")]
    [InlineData("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "<value withheld: it looks like a credential>")]
    public void Shown_quotes_escapes_and_withholds(string? value, string expected) => Assert.Equal(expected, Shown.Value(value));

    [Fact]
    public void Shown_shortens_long_values()
    {
        var shown = Shown.Value(new string('x', 100));
        Assert.Equal("\"" + new string('x', 64) + "…\"", shown);
    }
}
