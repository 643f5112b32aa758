using System.Globalization;
using System.Text.Json.Nodes;

namespace AiGatewayModels.TestSupport;

/// <summary>The keywords on a string or number: minLength/maxLength (in characters), pattern (RE2), minimum/maximum (also exclusive), multipleOf, format.</summary>
internal static class ScalarConstraints
{
    public static void Check(JsonNode value, SchemaNode schema, string path, List<string> errors)
    {
        if (JsonScalars.TryString(value, out var text))
        {
            var runes = text.EnumerateRunes().Count();
            if (schema.MinLength is { } minLength && runes < minLength)
            {
                errors.Add($"{path}: must be at least {minLength} characters long (is {runes})");
            }

            if (schema.MaxLength is { } maxLength && runes > maxLength)
            {
                errors.Add($"{path}: may not be longer than {maxLength} characters (is {runes})");
            }

            if (schema.Pattern is { } pattern && !Re2Regex.Get(pattern).IsMatch(text))
            {
                errors.Add($"{path}: {JsonScalars.Show(value)} must match pattern {pattern}");
            }
        }
        else if (JsonScalars.TryNumber(value, out var number))
        {
            CheckBounds(number, schema, path, errors);
        }

        if (schema.Format is { } format && SchemaFormats.Check(format, value) is { } problem)
        {
            errors.Add($"{path}: {problem}");
        }
    }

    private static void CheckBounds(double number, SchemaNode schema, string path, List<string> errors)
    {
        if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? number <= min : number < min))
        {
            errors.Add($"{path}: must be {(schema.ExclusiveMinimum ? ">" : ">=")} {Format(min)}");
        }

        if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? number >= max : number > max))
        {
            errors.Add($"{path}: must be {(schema.ExclusiveMaximum ? "<" : "<=")} {Format(max)}");
        }

        if (schema.MultipleOf is { } factor && factor != 0 && Math.Abs(Math.IEEERemainder(number, factor)) > 1e-9)
        {
            errors.Add($"{path}: must be a multiple of {Format(factor)}");
        }
    }

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);
}
