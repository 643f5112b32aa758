using System.Globalization;
using System.Text;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Layers;

/// <summary>One step of a <c>--set</c> path: a key (<c>a</c> in <c>a.b</c>) or a list index (<c>0</c> in <c>list[0]</c>).</summary>
public readonly record struct SetStep(string? Key, int Index)
{
    public bool IsIndex => Key is null;
}

/// <summary>
/// One <c>path=value</c> of a <c>--set</c> or <c>--set-string</c>: where, and the value as a node (a plain null
/// deletes the key, as Helm's null does).
/// </summary>
public sealed record SetAssignment(IReadOnlyList<SetStep> Path, YNode Value, bool AsString)
{
    /// <summary>
    /// The option and the path, as a user would type them, never the value (which may be a secret pasted on the
    /// command line): this names the layer in messages, e.g. <c>--set models.gpt-4.enabled</c>.
    /// </summary>
    public string Layer => (AsString ? "--set-string " : "--set ") + Written(Path);

    /// <summary>A path as it is typed after <c>--set</c>: dots, indices in brackets, special characters escaped.</summary>
    public static string Written(IEnumerable<SetStep> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new StringBuilder();
        foreach (var step in path)
        {
            if (step.IsIndex)
            {
                sb.Append('[').Append(step.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            foreach (var c in step.Key!)
            {
                sb.Append(c is '.' or '[' or ',' or '=' or '\\' ? "\\" + c : c.ToString());
            }
        }

        return sb.ToString();
    }
}

/// <summary>
/// Reads a <c>--set</c> / <c>--set-string</c> argument as Helm's pkg/strvals parser does (parser.go, Helm v3), so that
/// a line written for <c>helm install</c> means the same here.
/// </summary>
/// <remarks>
/// Supported, with strvals' meaning:
/// <list type="bullet">
/// <item>comma-separated assignments <c>a=1,b=2</c>, each from the root; a trailing comma is allowed;</item>
/// <item>dotted paths <c>a.b.c=v</c> (at most 30 dots, strvals' MaxNestedNameLevel), a backslash escapes the next
/// character in keys and values (<c>models.gpt-3\.5-turbo.enabled=false</c>, <c>a=x\,y</c>);</item>
/// <item>list indices <c>list[0]=v</c>, <c>list[0].name=v</c>, <c>list[0][1]=v</c> (index 0 … 65536, strvals'
/// MaxIndex); an index into an existing list changes that item and keeps the others, as strvals does;</item>
/// <item>list values <c>a={x,y}</c> (each item typed like a value);</item>
/// <item>typing as strvals' typedVal: <c>true</c>/<c>false</c> in any letter case are booleans, <c>null</c> in any
/// letter case deletes the key, <c>0</c> and decimal integers that do not start with 0 are integers; everything else,
/// <c>1.5</c>, <c>0x10</c>, <c>007</c> and <c>yes</c> included, is a string. <c>--set-string</c> keeps every value a
/// string. <c>a=</c> sets the empty string.</item>
/// </list>
/// Refused with an error, where strvals silently does nothing, panics or fills gaps:
/// <list type="bullet">
/// <item>an empty key (<c>.a=1</c>, <c>a..b=1</c>, <c>=1</c>; strvals drops the assignment), a path with no value
/// (<c>a</c>, <c>a.</c>, <c>a[0]</c>; strvals drops the last two silently), <c>a=1,,b=2</c>;</item>
/// <item>an index past the end of the list (strvals pads the gap with nulls, which no list of the values takes);</item>
/// <item>a path through a value that is not a mapping (<c>a.b</c> when <c>a</c> is a string) or not a list
/// (strvals panics with "interface conversion");</item>
/// <item>a text ending in a lone backslash.</item>
/// </list>
/// Not offered: <c>--set-file</c>, <c>--set-json</c> and <c>--set-literal</c> (write such values into a <c>-f</c> file).
/// </remarks>
public static class SetExpression
{
    public const int MaxIndex = 65536;

    public const int MaxNestedNameLevel = 30;

    private static readonly char[] KeyStops = ['=', '[', ',', '.'];
    private static readonly char[] AfterIndexStops = ['[', '.', '='];
    private static readonly char[] IndexStops = [']'];
    private static readonly char[] ValueStops = [','];
    private static readonly char[] ListStops = [',', '}'];

    /// <summary>The assignments of one argument, or the reason it cannot be read (which never repeats a value).</summary>
    public static (IReadOnlyList<SetAssignment> Assignments, string? Error) Parse(string text, bool asString)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text, asString);
        var assignments = new List<SetAssignment>();
        try
        {
            while (!reader.AtEnd)
            {
                assignments.Add(reader.Assignment());
            }
        }
        catch (FormatException e)
        {
            return (assignments, e.Message);
        }

        return (assignments, null);
    }

    /// <summary>strvals' typedVal: the value as it types it, a node the binder reads with the YAML core schema.</summary>
    public static YScalar Typed(string value, bool asString)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (asString)
        {
            return Text(value);
        }

        if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return Scalar(value.ToLowerInvariant(), quoted: false);
        }

        if (value.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return Scalar("null", quoted: false);
        }

        // Go's strconv.ParseInt(val, 10, 64) on a value that does not start with 0: an optional sign and digits.
        if (value == "0" || (value.Length > 0 && value[0] != '0'
            && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            return Scalar(long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), quoted: false);
        }

        return Text(value);
    }

    /// <summary>A string, as a values file would hold it: plain where plain reads as a string, else quoted.</summary>
    private static YScalar Text(string value) => Scalar(value, quoted: !ScalarTyping.IsPlainString(value));

    private static YScalar Scalar(string value, bool quoted) => new(value, quoted, null, 0, 0);

    private sealed class Reader(string text, bool asString)
    {
        private int pos;

        public bool AtEnd => pos >= text.Length;

        public SetAssignment Assignment()
        {
            var path = new List<SetStep>();
            var dots = 0;
            while (true)
            {
                var (key, stop) = Until(KeyStops);
                var written = Written(path, key);
                if (stop is null)
                {
                    throw new FormatException(key.Length == 0 && path.Count > 0
                        ? $"{Written(path, null)} ends with a dot; write {Written(path, null)}.<key>=<value>"
                        : $"{written} has no value; write {written}=<value>");
                }

                if (key.Length == 0)
                {
                    throw new FormatException(path.Count == 0 && stop == ','
                        ? "an empty assignment (two commas in a row, or a comma first); separate assignments with one comma: a=1,b=2"
                        : $"an empty key name {(path.Count == 0 ? "at the start" : "after " + Shown.Value(Written(path, null)))} (a leading dot or =, or two dots in a row); every key needs a name (escape a dot that belongs to a name: a\\.b)");
                }

                path.Add(new SetStep(key, 0));
                switch (stop)
                {
                    case ',':
                        throw new FormatException($"{written} has no value (it cannot end with ,); write {written}=<value>");
                    case '.':
                        if (++dots > MaxNestedNameLevel)
                        {
                            throw new FormatException($"{written} nests deeper than {MaxNestedNameLevel} levels, the most Helm's --set allows");
                        }

                        continue;
                    case '[':
                        if (Indices(path))
                        {
                            continue;
                        }

                        break;
                }

                return new SetAssignment(path, Value(), asString);
            }
        }

        /// <summary>Reads <c>0]</c>, <c>0][1]</c>…; true when a <c>.</c> follows (more keys), false at <c>=</c>.</summary>
        private bool Indices(List<SetStep> path)
        {
            while (true)
            {
                var (digits, close) = Until(IndexStops);
                var written = Written(path, null);
                if (close is null)
                {
                    throw new FormatException($"{written}[ has no closing ]");
                }

                // Go's strconv.Atoi: an optional sign and decimal digits
                if (!int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                {
                    throw new FormatException($"{written}[{Shown.Value(digits)}]: a list index is a whole number: {written}[0]");
                }

                if (index < 0)
                {
                    throw new FormatException($"{written}[{index}]: a negative index is not allowed");
                }

                if (index > MaxIndex)
                {
                    throw new FormatException($"{written}[{index}]: the index is greater than {MaxIndex}, the most Helm's --set allows");
                }

                path.Add(new SetStep(null, index));
                var (rest, stop) = Until(AfterIndexStops);
                written = Written(path, null);
                if (rest.Length > 0)
                {
                    throw new FormatException($"{written}: unexpected text after the index; write {written}=<value> or {written}.<key>=<value>");
                }

                switch (stop)
                {
                    case null:
                        throw new FormatException($"{written} has no value; write {written}=<value>");
                    case '.':
                        return true;
                    case '=':
                        return false;
                }
            }
        }

        /// <summary>After the <c>=</c>: <c>{a,b}</c>, a value up to the next comma, or nothing (the empty string).</summary>
        private YNode Value()
        {
            if (AtEnd)
            {
                return Scalar(string.Empty, quoted: true);
            }

            if (text[pos] != '{')
            {
                return Typed(Until(ValueStops).Text, asString);
            }

            pos++;
            var items = new List<YNode>();
            while (true)
            {
                var (item, stop) = Until(ListStops);
                if (stop is null)
                {
                    throw new FormatException("a list value must end with }: a={x,y}");
                }

                items.Add(Typed(item, asString));
                if (stop == '}')
                {
                    if (!AtEnd && text[pos] == ',')
                    {
                        pos++;
                    }

                    return new YSequence(items, 1 + items.Count, 0, 0);
                }
            }
        }

        /// <summary>strvals' runesUntil: the text up to a stop character (consumed), a backslash escaping the next one.</summary>
        private (string Text, char? Stop) Until(char[] stops)
        {
            var sb = new StringBuilder();
            while (pos < text.Length)
            {
                var c = text[pos++];
                if (Array.IndexOf(stops, c) >= 0)
                {
                    return (sb.ToString(), c);
                }

                if (c == '\\')
                {
                    if (pos >= text.Length)
                    {
                        throw new FormatException("the text ends in a lone backslash; a backslash escapes the character after it");
                    }

                    c = text[pos++];
                }

                sb.Append(c);
            }

            return (sb.ToString(), null);
        }

        private static string Written(List<SetStep> path, string? last) =>
            SetAssignment.Written(last is null ? path : [.. path, new SetStep(last, 0)]);
    }
}
