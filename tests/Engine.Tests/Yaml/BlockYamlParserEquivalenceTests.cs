using System.Globalization;
using AiGatewayModels.Engine.Yaml;
using AiGatewayModels.TestSupport.Cases;
using AiGatewayModels.TestSupport;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Yaml;

/// <summary>
/// The fast block parser must read every document it accepts exactly as YamlDotNet does: the same tree, scalar values,
/// quoting, tags and positions, and the same findings. Whatever it declines goes to YamlDotNet, so a decline is safe;
/// a different reading is not.
/// </summary>
public sealed class BlockYamlParserEquivalenceTests
{
    private static readonly YamlLimits Full = YamlLimits.Default with { UseBlockParser = false };

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (var (_, text) in AllDocuments())
        {
            data.Add(text);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reads_every_case_and_example_like_YamlDotNet(string text) => AssertSameReading(text);

    [Theory]
    [InlineData("a: 1\nb:\n  - x\n  - k: v\n    k2: 'q'\nc:\n  d: \"s\"\ne:\nf: z # c\n")]
    [InlineData("list:\n- a\n- b\nnext: 1\n")]
    [InlineData("nested:\n  - - a\n    - b\n  -\n    k: v\n  - \n")]
    [InlineData("codes: [429, 503]   # comment\nempty: {}\nnone: []\nneg: -1\nurl: a#b\ncolon: a:b\n")]
    [InlineData("# only a comment\n\nkey: value\n\n# trailing\n")]
    [InlineData("a: 'it''s'\n")]
    [InlineData("a: \"esc\\n\"\n")]
    [InlineData("a: [x, [y]]\n")]
    [InlineData("a: {k: v}\n")]
    [InlineData("a: &anchor 1\nb: *anchor\n")]
    [InlineData("a: |\n  block\n")]
    [InlineData("a: multi\n  line\n")]
    [InlineData("a: b: c\n")]
    [InlineData("- x\n- y\n")]
    [InlineData("a:\n  b: 1\n c: 2\n")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("---\na: 1\n")]
    [InlineData("a:\tb\n")]
    [InlineData("a: 1\r\nb: 2\r\n")]
    [InlineData("just a string\n")]
    [InlineData("  indented: root\n")]
    [InlineData("a: !!str 5\n")]
    [InlineData("? complex\n: key\n")]
    [InlineData("a: 1\n...\n")]
    [InlineData("key:value\n")]
    [InlineData("a: [1, 2,]\n")]
    [InlineData("a: ['q']\n")]
    [InlineData("a: x #\n")]
    [InlineData("\"quoted key\": 1\n")]
    [InlineData("a: ~\nb: null\nc: true\nd: 0x1F\ne: 1.5\n")]
    [InlineData("base: &b\n  x: 1\nc:\n  <<: *b\n  y: 2\n")]
    [InlineData("a: {x: 1}\nc:\n  <<: 5\n")]
    [InlineData("c:\n  '<<': 5\n")]
    [InlineData("c:\n  y: 2\n  <<: {y: 3, z: 4}\n")]
    public void Reads_handwritten_edge_cases_like_YamlDotNet(string text) => AssertSameReading(text);

    /// <summary>
    /// The fast parser declines documents that repeat a key or break a limit, so that the full reader reports them;
    /// these are the cases where its own bookkeeping (a key set for large mappings, depth, node count) decides.
    /// </summary>
    [Theory]
    [InlineData(15, 14)]
    [InlineData(16, 15)]
    [InlineData(17, 16)]
    [InlineData(40, 3)]
    [InlineData(40, 39)]
    public void Reads_repeated_keys_in_small_and_large_mappings_like_YamlDotNet(int keys, int repeated)
    {
        var lines = Enumerable.Range(0, keys).Select(i => $"  k{i}: {i}").Append($"  k{repeated}: again");
        AssertSameReading("outer:\n" + string.Join('\n', lines) + "\nafter:\n  k0: 1\n");
        Assert.Null(BlockYamlParser.TryRead("m:\n" + string.Join('\n', lines) + "\n", YamlLimits.Default));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(70)]
    public void Reads_deep_block_nesting_like_YamlDotNet(int depth)
    {
        var text = string.Concat(Enumerable.Range(0, depth - 1).Select(i => new string(' ', 2 * i) + "k:\n")) + new string(' ', 2 * (depth - 1)) + "k: leaf\n";
        AssertSameReading(text);
        Assert.Equal(depth < 32, BlockYamlParser.TryRead(text, YamlLimits.Default) is not null);
    }

    [Theory]
    [InlineData(9, true)]
    [InlineData(8, false)]
    public void Declines_documents_over_the_node_limit(int maxNodes, bool read)
    {
        // The root mapping, a list, its three items, a mapping and three scalars: 9 nodes; keys are not counted.
        const string Text = "a: [1, 2, 3]\nb:\n  c: x\n  d: y\ne: z\n";
        var limits = YamlLimits.Default with { MaxNodes = maxNodes };
        Assert.Equal(read, BoundedYamlReader.Read(Text, "x", limits).Ok);
        Assert.Equal(read, BlockYamlParser.TryRead(Text, limits) is not null);
        Assert.Equal(
            BoundedYamlReader.Read(Text, "x", limits with { UseBlockParser = false }).Diagnostics.Select(d => d.ToString()),
            BoundedYamlReader.Read(Text, "x", limits).Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Seeded_line_edits_of_every_valid_document_read_like_YamlDotNet()
    {
        var random = new Random(20261126);
        var compared = 0;
        foreach (var (_, text) in AllDocuments())
        {
            var lines = text.Split('\n');
            for (var i = 0; i < 20; i++)
            {
                var edited = lines.ToList();
                var at = random.Next(edited.Count);
                switch (random.Next(5))
                {
                    case 0:
                        edited.RemoveAt(at);
                        break;
                    case 1:
                        edited.Insert(at, edited[at]);
                        break;
                    case 2:
                        edited[at] = " " + edited[at];
                        break;
                    case 3:
                        edited[at] = edited[at].TrimStart();
                        break;
                    default:
                        edited[at] = edited[at].ReplaceAll(": ", ":"); // a line without ": " stays as it is: one edit of 20 is a no-op
                        break;
                }

                AssertSameReading(string.Join('\n', edited));
                compared++;
            }
        }

        Assert.True(compared > 1000, compared.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Characters YAML gives a meaning, or YamlDotNet refuses, that a hand-written reader could read differently.</summary>
    private static readonly string[] Specials =
    [
        "\u2028", "\u2029", "\u0085", "\t", "\ufeff", "\r", "\r\n", "\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c",
        "\u001b", "\u001f", "\u007f", "\u0080", "\u009b", "\u00a0", "\u200b", "\u200d", "\u202e", "\u2066", "\u3000",
        "\ud800", "\udc00", "\ud83d\ude42", "\ufffe", "\uffff", "é",
    ];

    /// <summary>The example of the issue: a line separator in a plain scalar, and a tab in an unrelated comment.</summary>
    [Theory]
    [InlineData("models:\n  m:\n    modelMatch: gpt\u20284o\n")]
    [InlineData("# a\tcomment\nmodels:\n  m:\n    modelMatch: gpt\u20284o\n")]
    [InlineData("a: x\u2029y\n")]
    [InlineData("a: x\u0085y\n")]
    [InlineData("\ufeffa: 1\n")]
    [InlineData("a: 1\n\ufeff")]
    [InlineData("a: \"x\u2028y\"\n")]
    [InlineData("a:\u2028  b: 1\n")]
    public void Unicode_breaks_and_marks_get_one_verdict(string text)
    {
        Assert.Null(BlockYamlParser.TryRead(text, YamlLimits.Default));
        AssertSameReading(text);
    }

    /// <summary>Every special character at every position of small documents, each alone: the verdicts must agree.</summary>
    [Fact]
    public void Special_characters_in_every_position_of_small_documents_get_one_verdict()
    {
        string[] documents =
        [
            "a: 1\nb:\n  - x\n  - k: v\n# c\nd: 'q' # t\n",
            "models:\n  m:\n    modelMatch: gpt-4o\n    backends:\n      p: {ref: a}\n",
            "list: [429, 503]\nkey: \"v\"\n",
        ];
        var compared = 0;
        foreach (var document in documents)
        {
            foreach (var special in Specials)
            {
                for (var at = 0; at <= document.Length; at++)
                {
                    AssertSameReading(document.Insert(at, special));
                    compared++;
                }
            }
        }

        Assert.True(compared > 3000, compared.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The same over every document the project has, at seeded positions, alone and in pairs.</summary>
    [Fact]
    public void Special_characters_at_seeded_positions_of_every_document_get_one_verdict()
    {
        var random = new Random(14);
        var compared = 0;
        foreach (var (_, text) in AllDocuments())
        {
            for (var i = 0; i < 12; i++)
            {
                var edited = text.Insert(random.Next(text.Length + 1), Specials[random.Next(Specials.Length)]);
                if (i % 3 == 0)
                {
                    edited = edited.Insert(random.Next(edited.Length + 1), Specials[random.Next(Specials.Length)]);
                }

                AssertSameReading(edited);
                compared++;
            }
        }

        Assert.True(compared > 1000, compared.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_fast_parser_takes_the_block_style_documents_the_project_has()
    {
        var all = AllDocuments().ToList();
        var accepted = all.Count(d => BlockYamlParser.TryRead(d.Text, YamlLimits.Default) is not null);

        // Every bundled example is plain block YAML and must take the fast path. Most cases are written in flow style
        // or wrap their values in a block scalar, which the full parser reads; enough take the fast path for the
        // comparisons above to mean something.
        Assert.All(all.Where(d => d.Name.StartsWith("example:", StringComparison.Ordinal)), d => Assert.NotNull(BlockYamlParser.TryRead(d.Text, YamlLimits.Default)));
        Assert.True(accepted >= 10, $"only {accepted} of {all.Count} documents took the fast path");
    }

    private static void AssertSameReading(string text)
    {
        var fast = BoundedYamlReader.Read(text, "the values document");
        var full = BoundedYamlReader.Read(text, "the values document", Full);

        Assert.Equal(full.Diagnostics.Select(d => d.ToString()), fast.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(full.Root is null, fast.Root is null);
        Assert.Equal(full.Warnings.Select(d => d.ToString()), fast.Warnings.Select(d => d.ToString()));
        Assert.Equal(full.HasOrigins, fast.HasOrigins);
        if (full.Root is not null)
        {
            AssertSameNode(full.Root, fast.Root!, "(root)");
        }
    }

    private static void AssertSameNode(YNode expected, YNode actual, string path)
    {
        Assert.True(expected.GetType() == actual.GetType(), $"{path}: {expected.KindName} read as {actual.KindName}");
        Assert.True(expected.Line == actual.Line && expected.Column == actual.Column, $"{path}: at {expected.Line}:{expected.Column}, read at {actual.Line}:{actual.Column}");
        Assert.Equal(expected.Weight, actual.Weight);
        switch (expected)
        {
            case YScalar s:
                var a = (YScalar)actual;
                Assert.True(s.Value == a.Value && s.Quoted == a.Quoted && s.Tag == a.Tag, $"{path}: \"{s.Value}\" (quoted {s.Quoted}, tag {s.Tag}) read as \"{a.Value}\" (quoted {a.Quoted}, tag {a.Tag})");
                break;
            case YMapping m:
                var am = (YMapping)actual;
                Assert.Equal(m.Entries.Count, am.Entries.Count);
                for (var i = 0; i < m.Entries.Count; i++)
                {
                    AssertSameNode(m.Entries[i].Key, am.Entries[i].Key, path + "." + m.Entries[i].Key.Value + "(key)");
                    AssertSameNode(m.Entries[i].Value, am.Entries[i].Value, path + "." + m.Entries[i].Key.Value);
                }

                break;
            case YSequence q:
                var aq = (YSequence)actual;
                Assert.Equal(q.Items.Count, aq.Items.Count);
                for (var i = 0; i < q.Items.Count; i++)
                {
                    AssertSameNode(q.Items[i], aq.Items[i], $"{path}[{i}]");
                }

                break;
        }
    }

    /// <summary>Every values text the project tests with: raw values and ConfigMap manifests, and the values inside them.</summary>
    private static IEnumerable<(string Name, string Text)> AllDocuments()
    {
        foreach (var c in ValuesCase.BundledExamples())
        {
            yield return ("example:" + c.Name, c.Document.ValuesYaml);
        }

        foreach (var root in new[] { ValuesCase.ValidCasesDir, ValuesCase.InvalidCasesDir })
        {
            foreach (var file in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                yield return ("case:" + Path.GetRelativePath(root, file), File.ReadAllText(file));
            }
        }

        foreach (var c in ValuesCase.ValidCases())
        {
            yield return ("values:" + c.Name, c.Document.ValuesYaml);
        }
    }
}
