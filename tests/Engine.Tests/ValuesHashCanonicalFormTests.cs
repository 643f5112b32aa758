using System.Security.Cryptography;
using System.Text;
using AiGatewayModels.Engine.Tests.DataDriven;
using AiGatewayModels.Engine.Tests.Support;
using AiGatewayModels.Engine.Yaml;
using Xunit;

namespace AiGatewayModels.Engine.Tests;

/// <summary>
/// The hash streams its canonical form into SHA-256. Hashes are stored in the cluster (the mutating webhook's annotation,
/// the expander's status), so the form must not drift: these tests hold it to the first implementation, which built the
/// whole canonical string and hashed it at once.
/// </summary>
public sealed class ValuesHashCanonicalFormTests
{
    public static TheoryData<string> ValidCases() => CaseFiles.Theory(CaseFiles.Valid);

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Every_valid_case_hashes_as_the_canonical_string_did(string name)
    {
        var text = CaseFiles.InputText(CaseFiles.Valid, name);
        var root = BoundedYamlReader.Read(text, "values").Root;
        if (root is YMapping { } m && m.Get("data") is YMapping data && data.Get("values.yaml") is YScalar values)
        {
            root = Specs.Parse(values.Value); // a ConfigMap case: its values
        }

        Assert.NotNull(root);
        Assert.Equal(Oracle(root), ValuesHash.Compute(root));
    }

    [Fact]
    public void Long_unicode_and_surrogate_text_hashes_as_the_canonical_string_did()
    {
        var random = new Random(1126);
        string[] pieces = ["a", "ü", "✓", "😀", "\ud83d", "\ude00", "\n", "\"", "key", new string('x', 5000), new string('é', 3000)];
        for (var round = 0; round < 300; round++)
        {
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            var count = random.Next(1, round % 10 == 0 ? 60 : 12); // now and then more keys than the insertion sort takes
            for (var i = 0; i < count; i++)
            {
                var key = new StringBuilder().Append(i).Append(pieces[random.Next(pieces.Length)]).ToString();
                var value = new StringBuilder();
                for (var j = random.Next(0, 8); j > 0; j--)
                {
                    value.Append(pieces[random.Next(pieces.Length)]);
                }

                YNode node = random.Next(3) == 0
                    ? new YSequence([new YScalar(value.ToString(), true, null, 0, 0), new YScalar(key, false, null, 0, 0)], 3, 0, 0)
                    : new YScalar(value.ToString(), random.Next(2) == 0, null, 0, 0);
                entries.Add(new(new YScalar(key, false, null, 0, 0), node));
            }

            var root = new YMapping(entries, 1, 0, 0);
            Assert.Equal(Oracle(root), ValuesHash.Compute(root));
        }
    }

    private static string Oracle(YNode root)
    {
        var canonical = new StringBuilder();
        Write(root, canonical);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static void Write(YNode node, StringBuilder sb)
    {
        switch (node)
        {
            case YScalar s:
                sb.Append(s.Quoted ? 's' : 'p').Append(s.Value.Length).Append(':').Append(s.Value);
                break;
            case YSequence seq:
                sb.Append('[');
                foreach (var item in seq.Items)
                {
                    Write(item, sb);
                }

                sb.Append(']');
                break;
            case YMapping m:
                sb.Append('{');
                foreach (var (key, value) in m.Entries.OrderBy(e => e.Key.Value, StringComparer.Ordinal))
                {
                    sb.Append(key.Value.Length).Append(':').Append(key.Value);
                    Write(value, sb);
                }

                sb.Append('}');
                break;
        }
    }
}
