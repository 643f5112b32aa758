using System.Globalization;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// Rewrites values of the "models" chart's release 0.1.4 into canonical values with the same meaning: exactly the keys
/// <see cref="ChartReleases.Keys"/> lists (a test holds the two to the same list), everything else as written. Pure:
/// a tree in, a tree and the list of mappings it made out; <c>expander convert</c> prints the list and validates the result.
/// </summary>
/// <remarks>
/// The tree it reads has its aliases and merge keys resolved, so the output is written out in full: anchors only
/// served to share text, and blocks that only held them (<c>x-</c> keys and 0.1.4's <c>backendDefaults</c>,
/// <c>rateLimitDefaults</c>, <c>modelDefaults</c>) are left out. Each mapping names paths and keys, never values.
/// </remarks>
public static class ChartConverter
{
    public sealed record Result(JsonObject Values, IReadOnlyList<Diagnostic> Mappings)
    {
        /// <summary>True when the values used a 0.1.4 key, so that the canonical text differs from the input.</summary>
        public bool Changed => Mappings.Count > 0;
    }

    /// <summary>The 0.1.4 backend key whose value names the credential kind; the credential block itself stays.</summary>
    private const string ApiKeyDataKey = "apiKey";

    private static readonly string[] AnchorBlocks = ["backendDefaults", "rateLimitDefaults"];

    public static Result Convert(YMapping root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var mappings = new List<Diagnostic>();
        var output = new JsonObject();
        var envoyLimitsOn = root.Get("envoyRateLimit") is not YMapping envoy || envoy.Get("enabled") is not YScalar on || !ScalarTyping.TryBool(on, out var enabled) || enabled;
        var usedEnvoyLimits = false;
        var extensionKeys = new List<string>();

        foreach (var (key, value) in root.Entries)
        {
            var path = key.Value;
            switch (key.Value)
            {
                case var k when k.StartsWith(KeyTable.ExtensionPrefix, StringComparison.Ordinal):
                    extensionKeys.Add(path);
                    break;
                case var k when AnchorBlocks.Contains(k):
                case "modelDefaults" when value is YMapping m && m.Entries.Any(e => !ValuesKeys.ModelDefaults.Names.Contains(e.Key.Value)):
                    mappings.Add(Mapped(path, $"chart {ChartReleases.NextRelease}'s block that only holds anchors; its aliases are written out where they are used"));
                    break;
                case "envoyRateLimit":
                    mappings.Add(Mapped(path, envoyLimitsOn
                        ? "envoyRateLimit.enabled → rateLimiting.engine: EnvoyGateway (set when a model has envoy limits)"
                        : "envoyRateLimit.enabled: false → the models' envoy limits are left out"));
                    break;
                case "backendTrafficPolicy":
                    ConvertTrafficPolicy(value, output, mappings);
                    break;
                case "backends" when value is YMapping backends:
                    var backendsOut = new JsonObject();
                    foreach (var (name, backend) in backends.Entries)
                    {
                        backendsOut[name.Value] = backend is YMapping b ? ConvertBackend(b, FieldPath.Child("backends", name.Value), mappings) : ToJson(backend);
                    }

                    output[key.Value] = backendsOut;
                    break;
                case "models" when value is YMapping models:
                    var modelsOut = new JsonObject();
                    foreach (var (name, model) in models.Entries)
                    {
                        modelsOut[name.Value] = model is YMapping m
                            ? ConvertModel(m, FieldPath.Child("models", name.Value), envoyLimitsOn, ref usedEnvoyLimits, mappings)
                            : ToJson(model);
                    }

                    output[key.Value] = modelsOut;
                    break;
                default:
                    output[key.Value] = ToJson(value);
                    break;
            }
        }

        // Canonical values may use x- keys too: they alone are no reason to rewrite the text.
        if (mappings.Count > 0)
        {
            mappings.AddRange(extensionKeys.Select(k => Mapped(k, "a block that only holds anchors; its aliases are written out where they are used")));
        }

        if (usedEnvoyLimits && output["rateLimiting"] is null)
        {
            output["rateLimiting"] = new JsonObject { ["engine"] = "EnvoyGateway" };
        }

        return new Result(Ordered(output), mappings);
    }

    private static JsonObject ConvertBackend(YMapping backend, string path, List<Diagnostic> mappings)
    {
        var output = new JsonObject();
        var apiKey = backend.Get("securityType") is YScalar { Value: "APIKey" };
        foreach (var (key, value) in backend.Entries)
        {
            switch (key.Value)
            {
                case "securityType":
                    mappings.Add(Mapped(FieldPath.Child(path, key.Value), apiKey ? "securityType: APIKey with secretRef → apiKeySecretRef" : "securityType is left out; the credential block says the kind"));
                    break;
                case "secretRef" when apiKey && value is YMapping secret:
                    var dataKey = secret.Get("key") is YScalar k && !ScalarTyping.IsNull(k) ? k.Value : ApiKeyDataKey;
                    output["apiKeySecretRef"] = new JsonObject { ["name"] = ToJson(secret.Get("name")), ["key"] = dataKey };
                    mappings.Add(Mapped(FieldPath.Child(path, key.Value), $"→ {FieldPath.Child(path, "apiKeySecretRef")} (data key {ApiKeyDataKey} unless it names another)"));
                    break;
                case "type" when value is YScalar { Value: "GCPCredentials" }:
                    mappings.Add(Mapped(FieldPath.Child(path, key.Value), "type: GCPCredentials is left out; gcpCredentials says the same"));
                    break;
                default:
                    output[key.Value] = ToJson(value);
                    break;
            }
        }

        return output;
    }

    private static JsonObject ConvertModel(YMapping model, string path, bool envoyLimitsOn, ref bool usedEnvoyLimits, List<Diagnostic> mappings)
    {
        var output = new JsonObject();
        var limits = new List<JsonNode>();
        foreach (var (key, value) in model.Entries)
        {
            switch (key.Value)
            {
                case "envoyRateLimit":
                    if (envoyLimitsOn && value is YMapping rate)
                    {
                        limits.Add(Limit("requests", rate));
                        mappings.Add(Mapped(FieldPath.Child(path, key.Value), $"→ {FieldPath.Child(path, "limits")}: requests per client (x-user-id) and window"));
                    }
                    else
                    {
                        mappings.Add(Mapped(FieldPath.Child(path, key.Value), "left out: envoyRateLimit.enabled is false"));
                    }

                    break;
                case "envoyTokenRateLimits":
                    if (envoyLimitsOn && value is YSequence tokenLimits)
                    {
                        foreach (var item in tokenLimits.Items.OfType<YMapping>())
                        {
                            limits.Add(Limit("tokens", item));
                        }

                        mappings.Add(Mapped(FieldPath.Child(path, key.Value), $"→ {FieldPath.Child(path, "limits")}: total tokens per client (x-user-id) and window"));
                    }
                    else
                    {
                        mappings.Add(Mapped(FieldPath.Child(path, key.Value), "left out: envoyRateLimit.enabled is false"));
                    }

                    break;
                default:
                    output[key.Value] = ToJson(value);
                    break;
            }
        }

        if (limits.Count > 0)
        {
            usedEnvoyLimits = true;
            var written = output["limits"] as JsonArray ?? [];
            foreach (var limit in limits)
            {
                written.Add(limit);
            }

            output["limits"] = written;
        }

        return output;
    }

    /// <summary>One of 0.1.4's envoy limits: per distinct x-user-id, windows Second … Year, tokens from llm_total_token.</summary>
    private static JsonObject Limit(string what, YMapping limit)
    {
        var output = new JsonObject { [what] = ToJson(limit.Get(what)) };
        if (what == "tokens")
        {
            output["tokenType"] = "TotalToken";
        }

        output["window"] = ToJson(limit.Get("unit"));
        output["per"] = "client";
        return output;
    }

    /// <summary>0.1.4's one retry policy on the Gateway becomes the retry settings every model's own policy gets.</summary>
    private static void ConvertTrafficPolicy(YNode value, JsonObject output, List<Diagnostic> mappings)
    {
        const string Path = "backendTrafficPolicy";
        if (value is not YMapping policy
            || (policy.Get("enabled") is YScalar on && ScalarTyping.TryBool(on, out var enabled) && !enabled)
            || policy.Get("retry") is not YMapping retry)
        {
            mappings.Add(Mapped(Path, "left out: disabled or without retry"));
            return;
        }

        var failover = new JsonObject();
        Copy(retry, "numRetries", failover, "numRetries");
        if (retry.Get("perRetry") is YMapping perRetry)
        {
            Copy(perRetry, "timeout", failover, "perRetryTimeout");
            if (perRetry.Get("backOff") is { } backOff)
            {
                failover["backOff"] = ToJson(backOff);
            }
        }

        if (retry.Get("retryOn") is { } retryOn)
        {
            failover["retryOn"] = ToJson(retryOn);
        }

        var defaults = output["modelDefaults"] as JsonObject ?? [];
        defaults["failover"] = failover;
        output["modelDefaults"] = defaults;
        mappings.Add(Mapped(Path, "retry → modelDefaults.failover: each model's own BackendTrafficPolicy retries (name, labels, annotations and targetRefs are left out: the policies are named per model and target its route)"));
    }

    private static void Copy(YMapping from, string key, JsonObject to, string target)
    {
        if (from.Get(key) is { } node)
        {
            to[target] = ToJson(node);
        }
    }

    private static Diagnostic Mapped(string path, string what) => Diagnostic.Warning(path, "converted: " + what);

    /// <summary>The canonical keys first, in the order the format documents them; extension keys are gone by now.</summary>
    private static JsonObject Ordered(JsonObject output)
    {
        var ordered = new JsonObject();
        foreach (var name in ValuesKeys.Root.Names)
        {
            if (output.Remove(name, out var node))
            {
                ordered[name] = node;
            }
        }

        foreach (var (key, node) in output.ToList())
        {
            output.Remove(key);
            ordered[key] = node;
        }

        return ordered;
    }

    /// <summary>A node as JSON, each plain scalar typed by the YAML 1.2 core schema the binder reads it with.</summary>
    public static JsonNode? ToJson(YNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YMapping m:
                var obj = new JsonObject();
                foreach (var (key, value) in m.Entries)
                {
                    obj[key.Value] = ToJson(value);
                }

                return obj;
            case YSequence s:
                var arr = new JsonArray();
                foreach (var item in s.Items)
                {
                    arr.Add(ToJson(item));
                }

                return arr;
            case YScalar scalar when ScalarTyping.IsNull(scalar):
                return null;
            case YScalar scalar when ScalarTyping.TryBool(scalar, out var b):
                return JsonValue.Create(b);
            case YScalar scalar when ScalarTyping.TryInteger(scalar, out var i):
                return JsonValue.Create(i);
            case YScalar scalar when ScalarTyping.IsFloat(scalar) && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                return JsonValue.Create(d);
            case YScalar scalar:
                return JsonValue.Create(scalar.Value);
            default:
                throw new InvalidOperationException("unknown node " + node.GetType().Name);
        }
    }
}
