using System.Text;
using AiGatewayModels.Webhook.Tests.Support;
using Xunit;

namespace AiGatewayModels.Webhook.Tests;

/// <summary>
/// The bad-input corpus (Corpus/expected.tsv): values files are sent inside a values ConfigMap, body files as the raw
/// HTTP body, all to POST /validate over HTTPS. Each has its expected HTTP status, verdict and message fragment; none
/// may get a 500.
/// </summary>
public sealed class CorpusTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    private static readonly string CorpusDir = Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>Credentials the corpus plants (hack/webhook-corpus.py): no answer may repeat them, in any letter case.</summary>
    private static readonly string[] Planted =
        ["Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA", "hunter2hunter2", "abc12345xyz", "dXNlcjpwYXNzd29yZA", "sk-9f3kQ2xL", "sk-1234abcd"];

    public static TheoryData<string, int, string, string> Cases()
    {
        var data = new TheoryData<string, int, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(CorpusDir, "expected.tsv")).Where(l => l.Length > 0 && l[0] != '#'))
        {
            var f = line.Split('\t');
            data.Add(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), f[2], f.Length > 3 ? f[3] : string.Empty);
        }

        return data;
    }

    [Fact]
    public void The_corpus_holds_at_least_100_cases_and_every_file_is_listed()
    {
        var listed = Cases().Select(c => (string)c[0]).ToHashSet(StringComparer.Ordinal);
        Assert.True(listed.Count >= 100, $"{listed.Count} cases");
        var files = Directory.EnumerateFiles(CorpusDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(CorpusDir, f).Replace('\\', '/')).Where(f => f != "expected.tsv");
        Assert.All(files, f => Assert.Contains(f, listed));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Corpus_case(string file, int status, string allowed, string fragment)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(CorpusDir, file));
        var answer = file.StartsWith("values/", StringComparison.Ordinal)
            ? await fixture.Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("corpus", text)))
            : await fixture.Server.PostAsync("/validate", text);
        Assert.True(answer.Status == status, $"{file}: {answer}");
        Assert.All(Planted, secret => Assert.DoesNotContain(secret, answer.Body, StringComparison.OrdinalIgnoreCase));
        if (allowed == "-")
        {
            Assert.Contains(fragment, answer.Body, StringComparison.Ordinal);
            return;
        }

        Assert.True(answer.Allowed == (allowed == "true"), $"{file}: {answer}");
        Assert.True(answer.Message.Contains(fragment, StringComparison.Ordinal), $"{file}: expected \"{fragment}\" in {answer}");
    }

    [Theory]
    [InlineData(1024 * 1024 + 1)]
    [InlineData(1024 * 1024 - 100)]
    public async Task Values_of_about_1_MiB_are_denied_cleanly(int size)
    {
        var values = new StringBuilder("gatewayRef:\n  name: g\npadding: \"");
        values.Append('x', size - values.Length - 2).Append("\"\n");
        var answer = await fixture.Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("big", values.ToString())));
        Assert.Equal(200, answer.Status);
        Assert.False(answer.Allowed);
        Assert.StartsWith("ConfigMap team-a/big: ", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_keys_are_denied_cleanly()
    {
        var values = new StringBuilder("gatewayRef:\n  name: g\nbackends:\n");
        for (var i = 0; i < 40_000; i++)
        {
            values.Append("  b").Append(i).Append(": {}\n");
        }

        var answer = await fixture.Server.PostAsync("/validate", Reviews.Review("CREATE", Reviews.ConfigMap("wide", values.ToString())));
        Assert.Equal(200, answer.Status);
        Assert.False(answer.Allowed);
        Assert.True(answer.Message.Length < 200_000, "the denial stays a readable size");
    }
}
