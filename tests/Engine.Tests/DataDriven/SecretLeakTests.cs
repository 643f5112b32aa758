using System.Text.RegularExpressions;
using AiGatewayModels.Engine.Rules;
using Xunit;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>
/// No diagnostic may repeat a credential planted in the values: neither in its message nor in its path, in no letter case.
/// The planted strings are those of each case's secrets.txt, plus every credential-shaped token of its input.
/// </summary>
public sealed partial class SecretLeakTests
{
    public static TheoryData<string, string> AllCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { CaseFiles.Invalid, CaseFiles.Valid })
        {
            foreach (var name in CaseFiles.Names(kind))
            {
                data.Add(kind, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void No_diagnostic_repeats_a_planted_secret(string kind, string name)
    {
        var input = CaseFiles.InputText(kind, name);
        var listed = Lines(CaseFiles.ReadOptional(kind, name, CaseFiles.SecretsFile));
        foreach (var secret in listed)
        {
            Assert.True(input.Contains(secret, StringComparison.Ordinal), $"{kind}/{name}: {CaseFiles.SecretsFile} lists a string the input does not hold: {secret}");
        }

        var planted = listed.Concat(TokenShaped().Matches(input).Select(m => m.Value).Where(CredentialDetector.LooksLikeCredential)).Distinct().ToList();
        var result = CaseFiles.Evaluate(kind, name);
        var leaks = (from d in result.Diagnostics
                     from secret in planted
                     where Leaks(d.Message, secret) || Leaks(d.Path, secret)
                     select $"{ExpectedLine.Format(d)}\n    repeats {secret}").ToList();
        Assert.True(leaks.Count == 0, $"{kind}/{name}:\n  " + string.Join("\n  ", leaks));
    }

    [Fact]
    public void The_cases_plant_secrets_of_every_shape()
    {
        var planted = CaseFiles.Names(CaseFiles.Invalid)
            .SelectMany(n => Lines(CaseFiles.ReadOptional(CaseFiles.Invalid, n, CaseFiles.SecretsFile)))
            .ToList();
        Assert.Contains(planted, s => s.StartsWith("sk-", StringComparison.Ordinal));
        Assert.Contains(planted, s => s.StartsWith("AKIA", StringComparison.Ordinal));
        Assert.Contains(planted, s => s.Length >= 32 && s.All(char.IsAsciiHexDigit));
        Assert.Contains(planted, s => s.StartsWith("eyJ", StringComparison.Ordinal));
        Assert.Contains(planted, s => !CredentialDetector.LooksLikeCredential(s));
    }

    /// <summary>The whole secret, or a long enough piece of it to be useful (a truncated or re-cased copy).</summary>
    private static bool Leaks(string text, string secret)
    {
        if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        const int Piece = 16;
        for (var i = 0; i + Piece <= secret.Length; i++)
        {
            if (text.Contains(secret.AsSpan(i, Piece), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Lines(string? text) =>
        text is null ? [] : text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    [GeneratedRegex(@"[A-Za-z0-9_\-+/=.]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenShaped();
}
