using System.Globalization;
using AiGatewayModels.Engine.Rules;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

public sealed class CredentialDetectorTests
{
    [Theory]
    [InlineData("sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA")]
    [InlineData("sk-abcdefghijklmnopqrstuv")]
    [InlineData("sk-ant-api03-abcdefghijklmnop")]
    [InlineData("sk-1234")]
    [InlineData("sk-Ab3x")]
    [InlineData("sk-or-v1-0123456789abcdef")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("ASIAIOSFODNN7EXAMPLE")]
    [InlineData("AROAJ2UCCR6DPCEXAMPL")]
    [InlineData("AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv")]
    [InlineData("ya29.a0AfH6SMBx3kLmNoPqRsTuVwXyZ")]
    [InlineData("GOCSPX-abcdefghijklmnopqrst")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("github_pat_11ABCDEFG0abcdefghijklmnopqrstuv")]
    [InlineData("glpat-abcdefghijklmnopqrst")]
    [InlineData("xoxb-1234567890-abcdefghij")]
    [InlineData("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH")]
    [InlineData("gsk_abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("xai-abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("r8_abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("pplx-abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("nvapi-abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("sk_live_4eC39HqLyjWDarjtT1zdp7dcXyZ")]
    [InlineData("Bearer abcdefghijklmnop")]
    [InlineData("bearer abc12345")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==")]
    [InlineData("basic YWRtaW46aHVudGVyMg")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZWFtLWEifQ.c2lnbmF0dXJlLWJ5dGVz")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015")]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD0159F86D081")]
    [InlineData("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRg==")]
    [InlineData("Xq7bT2mN9vK4pL8wR3sY6dF1")]
    [InlineData("https://user:hunter2@api.openai.com")]
    [InlineData("admin:hunter2@db.example.com")]
    [InlineData("https://ghp0abcdefghijklmnop@github.com/x")]
    public void Credential_shapes_are_recognised(string value) => Assert.True(CredentialDetector.LooksLikeCredential(value), value);

    /// <summary>A credential inside a longer value: after a query parameter, a scheme word, a space, a separator.</summary>
    [Theory]
    [InlineData("gpt-4o?api-key=hunter2hunter2")]
    [InlineData("/v1?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv")]
    [InlineData("/openai/deployments/x?api-version=2024-06-01&sig=abcdEFGH1234")]
    [InlineData("Authorization: Bearer abc12345")]
    [InlineData("Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==")]
    [InlineData("example.com/sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA")]
    [InlineData("1m sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA")]
    [InlineData("openai sk-1234")]
    [InlineData("team AKIAIOSFODNN7EXAMPLE")]
    [InlineData("key=\"x\" password=correcthorse")]
    [InlineData("token: 9f86d081884c7d659a2feaa0c55ad015")]
    [InlineData("prefix-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA-suffix")]
    [InlineData("a\u200bsk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA")]
    public void Credentials_inside_longer_values_are_found(string value) => Assert.True(CredentialDetector.LooksLikeCredential(value), value);

    [Theory]
    [InlineData("api.openai.com")]
    [InlineData("team-a.openai.azure.com")]
    [InlineData("bedrock-runtime.us-east-1.amazonaws.com")]
    [InlineData("AZURE_OPENAI_API_KEY")]
    [InlineData("openai-credentials")]
    [InlineData("retriable-status-codes")]
    [InlineData("123e4567-e89b-12d3-a456-426614174000")]
    [InlineData("sk-short")]
    [InlineData("task-12345")]
    [InlineData("disk-1234")]
    [InlineData("a description with spaces that is quite long indeed")]
    [InlineData("Basic information about the models")]
    [InlineData("Bearer tokens go into Secrets")]
    [InlineData("Bearer authentication")]
    [InlineData("contact: platform-team@example.com")]
    [InlineData("see https://docs.example.com/ai-gateway/models/configuration-reference")]
    [InlineData("apiKeySecretRef: {name: openai-credentials, key: apiKey}")]
    [InlineData("key: apiKey")]
    [InlineData("models.ai-gateway.io/values")]
    [InlineData("app.kubernetes.io/managed-by")]
    [InlineData("")]
    public void Ordinary_values_are_not_flagged(string value) => Assert.False(CredentialDetector.LooksLikeCredential(value), value);

    [Fact]
    public void No_real_model_id_is_taken_for_a_credential()
    {
        var ids = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Rules", "Data", "real-model-ids.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.True(ids.Count >= 250, ids.Count.ToString(CultureInfo.InvariantCulture));
        var flagged = ids.Where(CredentialDetector.LooksLikeCredential).ToList();
        Assert.True(flagged.Count == 0, "taken for credentials:\n  " + string.Join("\n  ", flagged));

        // Nor as parts of the places they appear in: a modelMatch, a path, a comment.
        Assert.DoesNotContain(ids, id => CredentialDetector.LooksLikeCredential($"modelMatch: {id} # routed to {id}"));
    }

    /// <summary>
    /// Keys are random: seeded random strings of the alphabets and lengths providers use must all be found, bare and
    /// inside text. The seed is fixed, so a failure reproduces.
    /// </summary>
    [Theory]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 20, 64, 20)]
    [InlineData("0123456789abcdef", 32, 64, 0)]
    [InlineData("0123456789ABCDEF", 32, 64, 0)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 32, 88, 20)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 32, 88, 20)]

    // Small letters and digits only read like words more often (vowels, few switches): up to 2 % are missed.
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789", 24, 64, 40)]
    public void Random_keys_are_found(string alphabet, int minLength, int maxLength, int maxMissed)
    {
        var random = new Random(20261126 + alphabet.Length + minLength);
        var missed = new List<string>();
        for (var n = 0; n < 2000; n++)
        {
            var length = random.Next(minLength, maxLength + 1);
            var key = new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            if (!CredentialDetector.LooksLikeCredential(key) || !CredentialDetector.LooksLikeCredential("value " + key + " # note"))
            {
                missed.Add(key);
            }
        }

        // A random string can happen to look like words (a long run of letters without a digit); rare, and bounded here.
        Assert.True(missed.Count <= maxMissed, $"{missed.Count} of 2000 missed, e.g.:\n  " + string.Join("\n  ", missed.Take(10)));
    }

    [Theory]
    [InlineData("x?api-key=hunter2hunter2&y=1", "x?<withheld>&y=1")]
    [InlineData("Authorization: Bearer abc12345 and more", "Authorization: <withheld> and more")]
    [InlineData("tag !sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA at line 1", "tag !<withheld> at line 1")]
    [InlineData("two: sk-1234 and AKIAIOSFODNN7EXAMPLE.", "two: <withheld> and <withheld>.")]
    [InlineData("nothing here", "nothing here")]
    public void Withhold_replaces_only_the_credential(string text, string expected) => Assert.Equal(expected, CredentialDetector.Withhold(text));

    [Theory]
    [InlineData("0f3c5a2e-7b1d-4c8e-9a6f-2d4b8e1c7a90")] // an Entra client or tenant GUID
    [InlineData("kX9mP2qR7vT4wZ8yB3nC6fH1jL5sD0gA")] // an Auth0 client ID: 32 mixed-case characters
    [InlineData("0oa8f3k2QzX7vB9mT5d7")] // an Okta client ID
    [InlineData("1234567890-abc123def456ghi789jkl012mno345pq.apps.googleusercontent.com")] // a Google OAuth client ID
    public void Public_identifiers_hold_no_marked_credential(string id) => Assert.False(CredentialDetector.HoldsMarkedCredential(id), id);

    [Theory]
    [InlineData("sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA")]
    [InlineData("Bearer Rm4Tq8Lz2Wx6Vb1Nc5Kd9")]
    [InlineData("id?client_secret=Hk3Lm9Pq2Rs7Tu4Vw")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    public void A_key_pasted_as_an_identifier_is_still_marked(string value) => Assert.True(CredentialDetector.HoldsMarkedCredential(value), value);

    [Fact]
    public void A_pem_block_without_its_end_line_ends_with_its_line()
    {
        Assert.Equal("json: \"<withheld>\"}\nnext: 1", CredentialDetector.Withhold("json: \"-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg\"}\nnext: 1"));
    }

    [Theory]
    [InlineData("apiKey", true)]
    [InlineData("api_key", true)]
    [InlineData("API-KEY", true)]
    [InlineData("token", true)]
    [InlineData("accessKeyId", true)]
    [InlineData("secretAccessKey", true)]
    [InlineData("client_secret", true)]
    [InlineData("password", true)]
    [InlineData("Authorization", true)]
    [InlineData("apiKeySecretRef", false)]
    [InlineData("tokens", false)]
    [InlineData("hostname", false)]
    [InlineData("keyName", false)]
    public void Credential_field_names_are_recognised(string name, bool expected) => Assert.Equal(expected, CredentialDetector.IsCredentialFieldName(name));
}
