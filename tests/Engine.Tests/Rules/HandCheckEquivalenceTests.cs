using System.Text.RegularExpressions;
using AiGatewayModels.Engine.Rules;
using AiGatewayModels.Engine.Yaml;
using Xunit;

namespace AiGatewayModels.Engine.Tests.Rules;

/// <summary>
/// Names and numbers that were matched by regular expressions are now checked by hand, for speed. These tests hold the
/// hand checks to the original patterns on every short string over the characters that matter, and on random longer
/// ones: they must accept exactly the same. The patterns end in <c>\z</c>: .NET's <c>$</c> also matches before a final line
/// feed, which Kubernetes and YAML do not accept.
/// </summary>
public sealed class HandCheckEquivalenceTests
{
    private static readonly Regex DnsLabel = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant);
    private static readonly Regex DnsSubdomain = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant);
    private static readonly Regex Integer = new(@"^[-+]?[0-9]+\z", RegexOptions.CultureInvariant);
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z|^[-+]?\.(inf|Inf|INF)\z|^\.(nan|NaN|NAN)\z", RegexOptions.CultureInvariant);

    public static TheoryData<string> Alphabets() => new() { "a0-.\nA", "0-+.e\nx", ".infaNF-\n" };

    [Theory]
    [MemberData(nameof(Alphabets))]
    public void Every_short_string_is_judged_as_the_patterns_judged_it(string alphabet)
    {
        foreach (var s in AllStrings(alphabet, 5))
        {
            AssertSame(s);
        }
    }

    [Fact]
    public void Random_longer_strings_are_judged_as_the_patterns_judged_them()
    {
        var random = new Random(20261126);
        const string Alphabet = "abz09-.\n+eE_/ Ainf";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(6, 70)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            AssertSame(new string(chars));
        }

        AssertSame(new string('a', 63));
        AssertSame(new string('a', 63) + "\n");
        AssertSame(new string('a', 62) + "\n");
        AssertSame(string.Join('.', Enumerable.Repeat(new string('b', 63), 4)));
    }

    private static void AssertSame(string s)
    {
        Assert.True(s.Length is > 0 and <= 63 && DnsLabel.IsMatch(s) == KubernetesNames.IsDnsLabel(s) || s.Length is 0 or > 63 && !KubernetesNames.IsDnsLabel(s), $"IsDnsLabel({Show(s)})");
        Assert.True(s.Length is > 0 and <= 253 && DnsSubdomain.IsMatch(s) == KubernetesNames.IsDnsSubdomain(s) || s.Length is 0 or > 253 && !KubernetesNames.IsDnsSubdomain(s), $"IsDnsSubdomain({Show(s)})");

        var plain = new YScalar(s, quoted: false, tag: null, 1, 1);
        Assert.True(Float.IsMatch(s) == ScalarTyping.IsFloat(plain), $"IsFloat({Show(s)})");
        var integer = Integer.IsMatch(s) && long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);
        Assert.True(s.StartsWith("0x", StringComparison.Ordinal) || integer == ScalarTyping.TryInteger(plain, out _), $"TryInteger({Show(s)})");
        Assert.Equal(Describe(s), ScalarTyping.Describe(plain));
    }

    /// <summary>The original <see cref="ScalarTyping.Describe"/>, on a plain scalar without a tag.</summary>
    private static string Describe(string s)
    {
        var plain = new YScalar(s, quoted: false, tag: null, 1, 1);
        if (ScalarTyping.IsNull(plain))
        {
            return "null";
        }

        if (ScalarTyping.TryBool(plain, out _))
        {
            return "a boolean";
        }

        var hex = s.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(s.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out _);
        if (hex || Integer.IsMatch(s))
        {
            return "an integer";
        }

        return Float.IsMatch(s) ? "a number" : "a string";
    }

    private static IEnumerable<string> AllStrings(string alphabet, int maxLength)
    {
        IEnumerable<string> level = [string.Empty];
        for (var length = 0; length <= maxLength; length++)
        {
            foreach (var s in level)
            {
                yield return s;
            }

            level = level.SelectMany(s => alphabet.Select(c => s + c)).ToList();
        }
    }

    private static string Show(string s) => "\"" + TestSupport.Fixture.ReplaceAll(s, "\n", "\\n") + "\"";
}
