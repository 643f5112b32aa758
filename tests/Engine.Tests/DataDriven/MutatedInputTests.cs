using AiGatewayModels.Engine.Input;
using Xunit;

namespace AiGatewayModels.Engine.Tests.DataDriven;

/// <summary>
/// The evaluator never throws, whatever the text: every valid case is mutated many times (characters YAML cares about
/// inserted, deleted, lines duplicated or swapped), with a fixed seed so that a failure reproduces.
/// Each mutated text must come back as an evaluation: a model, or diagnostics.
/// </summary>
public sealed class MutatedInputTests
{
    private const int MutationsPerCase = 1000;

    private static readonly string[] Insertions = ["[", "]", "{", "}", ":", ": ", ",", "-", "- ", "\"", "'", "\n", " ", "  ", "#", "&a ", "*a", "!", "|", ">", "? ", "\t", "%", "@", "`", "\\", "<<: "];

    public static TheoryData<string> ValidCases() => CaseFiles.Theory(CaseFiles.Valid);

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Mutated_values_are_judged_and_never_throw(string name)
    {
        var original = CaseFiles.InputText(CaseFiles.Valid, name);
        var random = new Random(StableSeed(name));
        var failures = new List<string>();
        for (var i = 0; i < MutationsPerCase && failures.Count < 5; i++)
        {
            var text = Mutate(original, random, 1 + random.Next(3));
            try
            {
                var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument("default", "models", text));
                Assert.True(evaluation.IsValid || evaluation.Errors.Any(), "an invalid evaluation without an error");
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                failures.Add($"mutation {i}: {ex.GetType().Name}: {ex.Message}\n--- input ---\n{text}\n-------------");
            }
        }

        Assert.True(failures.Count == 0, $"valid/{name}: the evaluator threw:\n" + string.Join("\n", failures));
    }

    private static string Mutate(string text, Random random, int times)
    {
        for (var n = 0; n < times && text.Length > 0; n++)
        {
            var at = random.Next(text.Length);
            var lines = text.Split('\n');
            text = random.Next(5) switch
            {
                0 => text.Remove(at, 1),
                1 or 2 => text.Insert(at, Insertions[random.Next(Insertions.Length)]),
                3 => DuplicateLine(lines, random.Next(lines.Length)),
                _ => SwapLines(lines, random.Next(lines.Length), random.Next(lines.Length)),
            };
        }

        return text;
    }

    private static string DuplicateLine(string[] lines, int i) => string.Join('\n', lines.Take(i + 1).Append(lines[i]).Concat(lines.Skip(i + 1)));

    private static string SwapLines(string[] lines, int i, int j)
    {
        (lines[i], lines[j]) = (lines[j], lines[i]);
        return string.Join('\n', lines);
    }

    /// <summary>string.GetHashCode is randomised per process; the seed must not be.</summary>
    private static int StableSeed(string name) => name.Aggregate(17, (h, c) => unchecked((h * 31) + c));
}
