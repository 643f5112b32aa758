using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Values;

/// <summary>
/// Turns the values tree into <see cref="ValuesSpec"/>: the chart's keys exactly, plus our documented extensions.
/// Only shape and types are judged here; meaning is judged by the rules.
/// </summary>
public static class ValuesBinder
{
    public static ValuesSpec Bind(YNode root, DiagnosticBag bag)
    {
        if (root is not YMapping)
        {
            bag.Error(string.Empty, $"the values must be a mapping with the keys {string.Join(", ", ValuesKeys.Root)}, got {root.KindName}");
            return new ValuesSpec(null, DefaultRateLimitPolicy(), [], []);
        }

        var r = MappingReader.Open(root, string.Empty, bag, ValuesKeys.Root)!;
        var gatewayRef = BindGatewayRef(r, bag);
        var rateLimitPolicy = BindRateLimitPolicy(r.Node("rateLimitPolicy"), r.ChildPath("rateLimitPolicy"), bag);
        var backends = new List<BackendSpec>(EntryCount(r.Node("backends")));
        foreach (var (key, path, value) in MappingReader.Entries(r.Node("backends"), "backends", bag, "backend names to backend settings", r.Bound("backends")))
        {
            backends.Add(BindBackend(key, path, value, bag));
        }

        var models = new List<ModelSpec>(EntryCount(r.Node("models")));
        foreach (var (key, path, value) in MappingReader.Entries(r.Node("models"), "models", bag, "model names to model settings", r.Bound("models")))
        {
            if (BindModel(key, path, value, bag) is { } model)
            {
                models.Add(model);
            }
        }

        if (r.Node("models") is not YMapping { Entries.Count: > 0 })
        {
            bag.Warning("models", "no models are defined, so nothing will be routed");
        }

        return new ValuesSpec(gatewayRef, rateLimitPolicy, backends, models, TrafficBinder.RateLimiting(r, bag), TrafficBinder.ModelDefaults(r, bag));
    }

    private static int EntryCount(YNode? node) => node is YMapping m ? m.Entries.Count : 0;

    private static RateLimitPolicySpec DefaultRateLimitPolicy() => new("rateLimitPolicy", true, [], [], null);

    private static GatewayRefSpec? BindGatewayRef(MappingReader root, DiagnosticBag bag)
    {
        var node = root.Node("gatewayRef");
        if (node is null || MappingReader.IsNull(node))
        {
            var what = node is null ? "is missing" : "is null (written as ~, null or nothing after the colon)";
            bag.Error("gatewayRef", $"required field gatewayRef {what}; name the Gateway that serves these models: gatewayRef: {{name: <gateway>}}");
            return null;
        }

        var r = MappingReader.Open(node, "gatewayRef", bag, ValuesKeys.GatewayRef);
        return r is null ? null : new GatewayRefSpec(r.Path, r.String("name", required: true), r.String("namespace"), r.String("sectionName"));
    }

    private static RateLimitPolicySpec BindRateLimitPolicy(YNode? node, string path, DiagnosticBag bag)
    {
        var r = MappingReader.Open(node, path, bag, ValuesKeys.RateLimitPolicy);
        if (r is null)
        {
            return DefaultRateLimitPolicy();
        }

        var defaults = r.OpenChild("defaults", ValuesKeys.LimitsHolder);
        var defaultLimits = defaults is null ? null : BindLimits(defaults, bag);
        return new RateLimitPolicySpec(
            path,
            r.Bool("enabled") ?? true,
            BindStringMap(r.Node("labels"), r.ChildPath("labels"), bag, "label keys to label values", r.Bound("labels")),
            BindStringMap(r.Node("annotations"), r.ChildPath("annotations"), bag, "annotation keys to annotation values", r.Bound("annotations")),
            defaultLimits);
    }

    private static List<KeyValuePair<string, string>> BindStringMap(YNode? node, string path, DiagnosticBag bag, string what, int maxEntries)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (key, entryPath, value) in MappingReader.Entries(node, path, bag, what, maxEntries))
        {
            if (value is YScalar s && !ScalarTyping.IsNull(s))
            {
                // Kubernetes stores labels and annotations as strings; a plain 5 or true is what the user meant as text.
                result.Add(new KeyValuePair<string, string>(key, s.Value));
            }
            else if (MappingReader.IsNull(value))
            {
                bag.Error(entryPath, "expected a string value, got null (~, null or nothing after the colon); write \"\" for an empty value");
            }
            else
            {
                bag.Error(entryPath, $"expected a string value, got {value.KindName}");
            }
        }

        return result;
    }

    /// <summary>Reads <c>limits</c> under a holder (<c>defaults</c> or a model's <c>rateLimit</c>); null when absent.</summary>
    private static List<LimitSpec>? BindLimits(MappingReader holder, DiagnosticBag bag)
    {
        var node = holder.Node("limits");
        if (node is null)
        {
            bag.Error(holder.ChildPath("limits"), "required field limits is missing; give at least one named limit with rates, or remove the enclosing key");
            return null;
        }

        if (MappingReader.IsNull(node))
        {
            bag.Error(holder.ChildPath("limits"), "required field limits is null (written as ~, null or nothing after the colon); give at least one named limit with rates, or remove the enclosing key");
            return null;
        }

        var limits = new List<LimitSpec>();
        foreach (var (name, path, value) in MappingReader.Entries(node, holder.ChildPath("limits"), bag, "limit names to limits", holder.Bound("limits")))
        {
            var r = MappingReader.Open(value, path, bag, ValuesKeys.Limit);
            if (r is null)
            {
                // Null was reported by Open; a limit without rates says "no rates" at its own path below.
                // Kept, without rates, so that the rules say "no rates" here rather than "no limits" for the whole map.
                limits.Add(new LimitSpec(name, path, []));
                continue;
            }

            var rates = new List<RateSpec>();
            switch (r.Node("rates"))
            {
                case null:
                    bag.Error(r.ChildPath("rates"), "required field rates is missing; for example rates: [{limit: 100, window: 1m}]");
                    break;
                case var empty when MappingReader.IsNull(empty):
                    bag.Error(r.ChildPath("rates"), "required field rates is null (written as ~, null or nothing after the colon); for example rates: [{limit: 100, window: 1m}]");
                    break;
                case YSequence many when many.Items.Count > r.Bound("rates"):
                    bag.Error(r.ChildPath("rates"), $"holds {many.Items.Count} rates; at most {r.Bound("rates")} are allowed per limit");
                    break;
                case YSequence seq:
                    rates.Capacity = seq.Items.Count;
                    var ratesPath = r.ChildPath("rates");
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        var ratePath = FieldPath.Index(ratesPath, i);
                        var rr = MappingReader.Open(seq.Items[i], ratePath, bag, ValuesKeys.Rate);
                        if (rr is not null)
                        {
                            rates.Add(new RateSpec(ratePath, rr.Integer("limit", required: true), rr.Duration("window", required: true)));
                        }
                    }

                    break;
                case var other:
                    bag.Error(r.ChildPath("rates"), $"expected a list of {{limit, window}}, got {other.KindName}");
                    break;
            }

            limits.Add(new LimitSpec(name, path, rates));
        }

        return limits;
    }

    private static BackendSpec BindBackend(string key, string path, YNode node, DiagnosticBag bag)
    {
        var r = MappingReader.Open(node, path, bag, ValuesKeys.Backend);
        if (r is null)
        {
            if (!MappingReader.IsNull(node))
            {
                bag.Error(path, "a backend needs resourceName, schema, fqdn and its credentials (apiKeySecretRef, awsCredentials, azureCredentials or gcpCredentials)");
            }

            // Kept, empty, so that models referring to it are not told it is undefined.
            return new BackendSpec(key, path, null, null, null, null, null, null, null, Bound: false);
        }

        var fqdn = r.OpenChild("fqdn", ValuesKeys.Fqdn);
        if (fqdn is null && !r.Has("fqdn"))
        {
            bag.Error(r.ChildPath("fqdn"), "required field fqdn is missing; give fqdn: {hostname: <host>, port: 443}");
        }

        // Which credentials a backend needs depends on its schema: CredentialTypeRules reports the missing ones.
        return new BackendSpec(
            key,
            path,
            r.String("resourceName", required: true),
            r.String("schema", required: true),
            r.String("prefix"),
            fqdn?.String("hostname", required: true),
            fqdn?.Integer("port", required: true),
            CredentialsBinder.SecretRef(r, "apiKeySecretRef", keyRequired: true, bag),
            r.String("tlsHostname"),
            r.String("schemaVersion"),
            CredentialsBinder.Aws(r, bag),
            CredentialsBinder.Azure(r, bag),
            CredentialsBinder.Gcp(r, bag));
    }

    private static ModelSpec? BindModel(string key, string path, YNode node, DiagnosticBag bag)
    {
        var r = MappingReader.Open(node, path, bag, ValuesKeys.Model);
        if (r is null)
        {
            if (!MappingReader.IsNull(node))
            {
                bag.Error(path, "a model needs backends: {<slot>: {ref: <backend>}} with at least two slots");
            }

            return null;
        }

        var rateLimit = r.OpenChild("rateLimit", ValuesKeys.LimitsHolder);
        var slotsNode = r.Node("backends");
        var slots = new List<SlotSpec>(EntryCount(slotsNode));
        if (slotsNode is not null)
        {
            foreach (var (slotKey, slotPath, value) in MappingReader.Entries(slotsNode, r.ChildPath("backends"), bag, "slot names to backend references", r.Bound("backends")))
            {
                slots.Add(BindSlot(slotKey, slotPath, value, bag));
            }
        }
        else
        {
            bag.Error(r.ChildPath("backends"), "required field backends is missing; list the backends that serve this model: backends: {primary: {ref: <backend>}, failover: {ref: <backend>, priority: 1}}");
        }

        return new ModelSpec(
            key,
            path,
            r.Bool("enabled") ?? true,
            r.String("modelMatch"),
            rateLimit is null ? null : BindLimits(rateLimit, bag),
            slots,
            r.Duration("timeout"),
            TrafficBinder.Failover(r.OpenChild("failover", ValuesKeys.Failover)),
            TrafficBinder.Limits(r, bag),
            TrafficBinder.HealthCheck(r),
            r.Duration("streamIdleTimeout"),
            TrafficBinder.Price(r));
    }

    private static SlotSpec BindSlot(string key, string path, YNode node, DiagnosticBag bag)
    {
        var r = MappingReader.Open(node, path, bag, ValuesKeys.Slot);
        if (r is null)
        {
            if (!MappingReader.IsNull(node))
            {
                bag.Error(path, "a backend slot needs ref: <backend name>");
            }

            // Kept, empty, so that the model is not also told it has too few backends.
            return new SlotSpec(key, path, true, null, null, null, null);
        }

        return new SlotSpec(key, path, r.Bool("enabled") ?? true, r.String("ref", required: true), r.String("modelNameOverride"), r.Integer("priority"), r.Integer("weight"), TrafficBinder.Price(r));
    }
}
