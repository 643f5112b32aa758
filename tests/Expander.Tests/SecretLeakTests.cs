using AiGatewayModels.Engine.Rules;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Expander.Tests;

/// <summary>
/// A credential planted in every syntactic position of a values file (tag, anchor, alias, key, comment, directive,
/// every scalar style, and positions that make the YAML reader fail) is refused, and appears in no output of
/// <c>validate</c>, <c>render</c> or <c>convert</c>: not on stdout, not on stderr, in no letter case, not in part.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Gateway = SampleValues.Gateway;
    private const string Backends = SampleValues.Backends;
    private const string Models = SampleValues.Models;

    private static readonly string Valid = Gateway + Backends + Models;

    /// <summary>Credentials of several shapes, each usable as a YAML tag, anchor, key and plain scalar.</summary>
    public static readonly string[] Secrets =
    [
        "sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA",
        "sk-9f3kQ2xL",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "xai-R2D2C3P0beepBOOPbuzzWHIRR0123456789",
        "9f86d081884c7d659a2feaa0c55ad0159f86d081",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZWFtLWEifQ.c2lnbmF0dXJlLWJ5dGVz",
        "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg",
    ];

    /// <summary>Where a credential can hide: each template holds {S} once or more.</summary>
    public static readonly (string Name, string Template)[] Positions =
    [
        ("tag", Valid.Edit("primary: {ref: openai}", "primary: {ref: !{S} openai}")),
        ("verbatim tag", Valid.Edit("primary: {ref: openai}", "primary: {ref: !<tag:example.com,2024:{S}> openai}")),
        ("tag directive", "%TAG !k! tag:{S}:\n---\n" + Valid.Edit("primary: {ref: openai}", "primary: {ref: !k!x openai}")),
        ("YAML directive", "%YAML 1.2 {S}\n---\n" + Valid),
        ("reserved directive", "%FOO {S}\n---\n" + Valid),
        ("anchor", Valid.Edit("primary: {ref: openai}", "primary: {ref: &{S} openai}")),
        ("undefined alias", Valid.Edit("primary: {ref: openai}", "primary: {ref: *{S}}")),
        ("anchor and alias", Valid.Edit("primary: {ref: openai}", "primary: {ref: &{S} openai}\n      third: {ref: *{S}}")),
        ("root key", Valid + "{S}: 1\n"),
        ("quoted key", Valid + "\"{S}\": 1\n"),
        ("flow key", Valid.Edit("primary: {ref: openai}", "primary: {ref: openai, {S}: x}")),
        ("duplicate key", Valid + "{S}: 1\n{S}: 2\n"),
        ("backend key", Valid.Edit("  openai: {", "  {S}: {")),
        ("comment line", "# {S}\n" + Valid),
        ("trailing comment", Valid.Edit("primary: {ref: openai}", "primary: {ref: openai} # {S}")),
        ("comment after end", Valid + "...\n# {S}\n"),
        ("second document", Valid + "---\nk: {S}\n"),
        ("plain value", Valid.Edit("modelNameOverride: claude-sonnet-4-5", "modelNameOverride: {S}")),
        ("single-quoted value", Valid.Edit("modelNameOverride: claude-sonnet-4-5", "modelNameOverride: '{S}'")),
        ("double-quoted value", Valid.Edit("modelNameOverride: claude-sonnet-4-5", "modelNameOverride: \"{S}\"")),
        ("literal block", Gateway + Backends + Models.Edit("    backends:\n", "    modelMatch: |\n      gpt-4o\n      {S}\n    backends:\n")),
        ("folded block", Gateway + Backends + Models.Edit("    backends:\n", "    modelMatch: >-\n      {S}\n    backends:\n")),
        ("flow list item", Valid + "    failover:\n      retryOn:\n        httpStatusCodes: [429, {S}]\n"),
        ("integer field", Valid.Edit("port: 443}, apiKeySecretRef: {name: openai", "port: {S}}, apiKeySecretRef: {name: openai")),
        ("boolean field", Valid.Edit("primary: {ref: openai}", "primary: {ref: openai, enabled: {S}}")),
        ("schema enum", Valid.Edit("schema: OpenAI", "schema: {S}")),
        ("hostname", Valid.Edit("hostname: api.openai.com", "hostname: {S}")),
        ("secret name", Valid.Edit("name: openai-credentials", "name: {S}")),
        ("after ?api-key=", Valid.Edit("modelNameOverride: claude-sonnet-4-5", "modelNameOverride: \"claude?api-key={S}\"")),
        ("after Bearer", Valid.Edit("modelNameOverride: claude-sonnet-4-5", "modelNameOverride: \"Bearer {S}\"")),
        ("after a space in a window", Valid + "rateLimitPolicy:\n  defaults:\n    limits:\n      default:\n        rates: [{limit: 1, window: \"1m {S}\"}]\n"),
        ("after a space in a ref", Valid.Edit("primary: {ref: openai}", "primary: {ref: \"openai {S}\"}")),
        ("label key", Valid + "rateLimitPolicy:\n  labels:\n    \"team.example.com/{S}\": x\n"),
        ("annotation value", Valid + "rateLimitPolicy:\n  annotations:\n    example.com/note: \"see {S}\"\n"),
        ("unknown key value", Valid.Edit("primary: {ref: openai}", "primary: {ref: openai, note: \"{S}\"}")),
        ("unterminated quote", Valid.Edit("modelNameOverride: claude-sonnet-4-5", "modelNameOverride: \"claude {S}")),
        ("unclosed flow list", Valid.Edit("primary: {ref: openai}", "primary: {ref: [openai, {S}}")),
        ("bad indentation", Valid.Edit("  gpt-4o:\n", "  gpt-4o:\n   {S}: 1\n")),
        ("tab indentation", Valid + "\t{S}: 1\n"),
        ("after a line separator", Valid.Edit("modelNameOverride: claude-sonnet-4-5", "modelNameOverride: claude\u2028{S}")),
        ("limit name", Valid + "modelDefaults:\n  limits:\n  - {name: \"{S}\", tokens: 1000, window: 1h}\n"),
        ("client header", Valid + "modelDefaults:\n  limits:\n  - {tokens: 1000, window: 1h, per: client, clientHeader: \"x-{S}\"}\n"),
        (OidcClientId, Valid.Edit("apiKeySecretRef: {name: openai-credentials, key: apiKey}}", "azureCredentials: {clientID: 9b2f7c1e-3d4a-4e8b-b6f0-1a2c3d4e5f60, tenantID: c7e1a9d4-5b3f-4a2e-8d6c-0f1e2d3c4b5a, oidcExchangeToken: {oidc: {provider: {issuer: https://login.example.com}, clientID: \"{S}\", clientSecret: {name: s}}}}}")),
    ];

    /// <summary>
    /// An OAuth client ID is public and may look random (Auth0's are 32 mixed-case characters), so there only a credential
    /// marked as one (a provider prefix, a JWT) is refused; a merely random-looking one is a client ID.
    /// </summary>
    private const string OidcClientId = "OIDC client ID";

    public static TheoryData<string, string> Plantings()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, _) in Positions)
        {
            foreach (var secret in Secrets.Where(s => name != OidcClientId || CredentialDetector.HoldsMarkedCredential(s)))
            {
                data.Add(name, secret);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Plantings))]
    public void A_planted_credential_is_refused_and_never_printed(string position, string secret)
    {
        var values = Positions.Single(p => p.Name == position).Template.Edit("{S}", secret);
        var raw = CliRunner.TempFile(values);
        var manifest = CliRunner.TempFile(Manifest(values));
        try
        {
            foreach (var args in new[]
            {
                new[] { "validate", "-f", raw },
                ["render", "-f", raw],
                ["convert", "-f", raw, "--namespace", "team-a", "--name", "models"],
                ["validate", "-f", manifest],
                ["render", "-f", manifest],
            })
            {
                var r = CliRunner.Run(args);
                var command = $"{position} / {args[0]} {Path.GetExtension(args[2])}";
                Assert.True(r.ExitCode == 1, $"{command}: exit {r.ExitCode}, expected the values to be refused\n{r.Stderr}");
                Assert.False(Leaks(r.Stdout, secret), $"{command}: stdout repeats the secret:\n{r.Stdout}");
                Assert.False(Leaks(r.Stderr, secret), $"{command}: stderr repeats the secret:\n{r.Stderr}");
            }
        }
        finally
        {
            File.Delete(raw);
            File.Delete(manifest);
        }
    }

    /// <summary>The values ConfigMap's own metadata and other data entries are judged and withheld too.</summary>
    [Theory]
    [InlineData("metadata:\n  name: sk-9f3kq2xl1\n  namespace: team-a\n", "sk-9f3kq2xl1")]
    [InlineData("metadata:\n  name: models\n  namespace: sk-1234abcd\n", "sk-1234abcd")]
    [InlineData("metadata:\n  name: models\n  namespace: team-a\ndata:\n  AKIAIOSFODNN7EXAMPLE: x\n", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("metadata:\n  name: models\n  namespace: team-a\ndata:\n  token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    public void Credentials_in_the_ConfigMap_around_the_values_are_refused_and_never_printed(string metadataAndData, string secret)
    {
        var text = "apiVersion: v1\nkind: ConfigMap\n" + metadataAndData.Edit("  namespace: ", "  annotations:\n    models.ai-gateway.io/values: \"true\"\n  namespace: ");
        text += (text.Contains("\ndata:\n", StringComparison.Ordinal) ? string.Empty : "data:\n") + "  values.yaml: |\n" + Indent(Valid, 4);
        var file = CliRunner.TempFile(text);
        try
        {
            foreach (var command in new[] { "validate", "render" })
            {
                var r = CliRunner.Run(command, "-f", file);
                Assert.True(r.ExitCode == 1, $"{command}: exit {r.ExitCode}\n{r.Stderr}");
                Assert.False(Leaks(r.Stdout + r.Stderr, secret), $"{command} repeats the secret:\n{r.Stdout}{r.Stderr}");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Manifest(string values) =>
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: models\n  namespace: team-a\n  annotations:\n    models.ai-gateway.io/values: \"true\"\ndata:\n  values.yaml: |\n"
        + Indent(values, 4);

    private static string Indent(string text, int spaces) =>
        string.Concat(text.Split('\n').Select(l => l.Length == 0 ? "\n" : new string(' ', spaces) + l + "\n")).TrimEnd('\n') + "\n";

    /// <summary>The whole secret, or any 12 characters of it in a row, in any letter case.</summary>
    private static bool Leaks(string text, string secret)
    {
        const int Piece = 12;
        if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        for (var i = 0; i + Piece <= secret.Length; i++)
        {
            if (text.Contains(secret.AsSpan(i, Piece), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
