using System.Globalization;
using AiGatewayModels.Engine.Credentials;
using AiGatewayModels.Engine.Diagnostics;
using AiGatewayModels.Engine.Values;
using AiGatewayModels.Engine.Yaml;

namespace AiGatewayModels.Engine.Policy;

/// <summary>Reads a policy document (a file for the CLI, a ConfigMap's data for the webhook and the expander).</summary>
public static class PolicyReader
{
    /// <summary>The data key that holds the policy in the policy ConfigMap.</summary>
    public const string DataKey = "policy.yaml";

    private static readonly KeyTable RootKeys = KeyTable.Untyped("root", "minBackendsPerModel", "hostnames", "allowPlaintext", "allowedSchemas", "credentials", "allowedGateways", "maxRequestsPerWindow", "rateLimiting", "knownCrashPatterns", "ceilings");

    private static readonly KeyTable RateLimitingKeys = KeyTable.Untyped("rateLimiting", "allowedEngines", "perClientLimits", "allowedClientHeaders", "maxTokensPerWindow", "envoyGatewayVersion", "allowAcrossModels", "budgets");

    private static readonly KeyTable BudgetKeys = KeyTable.Untyped("budgets", "currency", "maxPerWindow", "maxPricePerMillionTokens", "perClient");

    private static readonly KeyTable HostnameKeys = KeyTable.Untyped("hostname", "allowed", "denied", "allowIPLiterals", "allowPrivateIPs");
    private static readonly KeyTable CredentialKeys = KeyTable.Untyped("credential", "allowedTypes", "deniedTypes", "requireKeyless", "gatewayIdentityNamespaces", "requireSecretLabel");
    private static readonly KeyTable CeilingKeys = KeyTable.Untyped("ceilings", "modelsPerConfigMap", "objectsPerConfigMap", "modelsPerNamespace", "objectsPerNamespace");
    private static readonly KeyTable GrantKeys = KeyTable.Untyped("grant", "namespaces", "gateways");

    public static (ModelsPolicy? Policy, IReadOnlyList<Diagnostic> Diagnostics) Read(string text)
    {
        // A policy only needs the settings it changes, so one that changes nothing (blank, or only comments) is the default.
        if (text.Split('\n').All(line => line.Trim().Length == 0 || line.TrimStart().StartsWith('#')))
        {
            return (ModelsPolicy.Default, []);
        }

        var parsed = BoundedYamlReader.Read(text, "the policy");
        if (!parsed.Ok)
        {
            return (null, parsed.Diagnostics);
        }

        var bag = new DiagnosticBag();
        if (parsed.Root is YScalar s && ScalarTyping.IsNull(s))
        {
            return (ModelsPolicy.Default, []);
        }

        var r = MappingReader.Open(parsed.Root, string.Empty, bag, RootKeys);
        if (r is null)
        {
            return (null, bag.Items);
        }

        var policy = ModelsPolicy.Default;
        if (r.Integer("minBackendsPerModel") is { } min)
        {
            if (min is < 1 or > 16)
            {
                bag.Error("minBackendsPerModel", $"must be between 1 and 16 (an HTTPRoute rule holds at most 16 backends), got {min}");
            }

            policy = policy with { MinBackendsPerModel = (int)Math.Clamp(min, 1, 16) };
        }

        var hosts = MappingReader.Open(r.Node("hostnames"), "hostnames", bag, HostnameKeys);
        if (hosts is not null)
        {
            policy = policy with
            {
                AllowedHostnames = hosts.StringList("allowed") ?? policy.AllowedHostnames,
                DeniedHostnames = hosts.StringList("denied") ?? policy.DeniedHostnames,
                AllowIPLiterals = hosts.Bool("allowIPLiterals") ?? policy.AllowIPLiterals,
                AllowPrivateIPs = hosts.Bool("allowPrivateIPs") ?? policy.AllowPrivateIPs,
            };
        }

        var credentials = MappingReader.Open(r.Node("credentials"), "credentials", bag, CredentialKeys);
        if (credentials is not null)
        {
            policy = policy with
            {
                AllowedCredentialTypes = CredentialTypeList(credentials, "allowedTypes", bag) ?? policy.AllowedCredentialTypes,
                DeniedCredentialTypes = CredentialTypeList(credentials, "deniedTypes", bag) ?? policy.DeniedCredentialTypes,
                RequireKeylessCredentials = credentials.Bool("requireKeyless") ?? policy.RequireKeylessCredentials,
                GatewayIdentityNamespaces = credentials.StringList("gatewayIdentityNamespaces") ?? policy.GatewayIdentityNamespaces,
                RequireSecretLabel = credentials.Bool("requireSecretLabel") ?? policy.RequireSecretLabel,
            };
        }

        var maxRequests = r.Integer("maxRequestsPerWindow");
        if (maxRequests is < 1)
        {
            bag.Error("maxRequestsPerWindow", $"must be at least 1, got {maxRequests}");
        }

        policy = policy with
        {
            AllowPlaintext = r.Bool("allowPlaintext") ?? policy.AllowPlaintext,
            AllowedSchemas = r.StringList("allowedSchemas") ?? policy.AllowedSchemas,
            MaxRequestsPerWindow = maxRequests,
            AllowedGateways = ReadGrants(r.Node("allowedGateways"), bag),
        };
        foreach (var schema in policy.AllowedSchemas.Where(x => !Rules.BackendRules.Schemas.Contains(x)))
        {
            bag.Error("allowedSchemas", $"unknown schema \"{schema}\"{DidYouMean.Suggest(schema, Rules.BackendRules.Schemas)}; known: {string.Join(", ", Rules.BackendRules.Schemas)}");
        }

        if (r.String("knownCrashPatterns") is { } crash)
        {
            policy = policy with { KnownCrashPatterns = EnumValue(crash, "knownCrashPatterns", policy.KnownCrashPatterns, bag) };
        }

        policy = ReadRateLimiting(MappingReader.Open(r.Node("rateLimiting"), "rateLimiting", bag, RateLimitingKeys), policy, bag);
        policy = policy with { Ceilings = ReadCeilings(MappingReader.Open(r.Node("ceilings"), "ceilings", bag, CeilingKeys), bag) };

        return bag.HasErrors ? (null, bag.Items) : (policy, bag.Items);
    }

    private static IReadOnlyList<string>? CredentialTypeList(MappingReader r, string key, DiagnosticBag bag)
    {
        var types = r.StringList(key);
        foreach (var type in types?.Where(t => !CredentialTypes.All.Contains(t)) ?? [])
        {
            bag.Error(r.ChildPath(key), $"unknown credential type \"{type}\"{DidYouMean.Suggest(type, CredentialTypes.All)}; known: {string.Join(", ", CredentialTypes.All)}");
        }

        return types;
    }

    private static ModelsPolicy ReadRateLimiting(MappingReader? r, ModelsPolicy policy, DiagnosticBag bag)
    {
        if (r is null)
        {
            return policy;
        }

        var engines = new List<Model.LimitEngine>();
        var engineNames = r.StringList("allowedEngines") ?? [];
        for (var i = 0; i < engineNames.Count; i++)
        {
            engines.Add(EnumValue(engineNames[i], FieldPath.Index(r.ChildPath("allowedEngines"), i), Model.LimitEngine.Kuadrant, bag));
        }

        var headers = r.StringList("allowedClientHeaders") ?? [];
        for (var i = 0; i < headers.Count; i++)
        {
            if (Rules.ClientHeaders.Problem(headers[i]) is { } problem)
            {
                bag.Error(FieldPath.Index(r.ChildPath("allowedClientHeaders"), i), problem);
            }
        }

        var maxTokens = r.Integer("maxTokensPerWindow");
        if (maxTokens is < 1)
        {
            bag.Error(r.ChildPath("maxTokensPerWindow"), $"must be at least 1, got {maxTokens}");
        }

        var version = policy.EnvoyGatewayVersion;
        if (r.String("envoyGatewayVersion") is { } text)
        {
            var trimmed = text.StartsWith('v') ? text[1..] : text;
            if (Version.TryParse(trimmed, out var parsed) && parsed.Major == 1 && trimmed.Count(c => c == '.') is 1 or 2)
            {
                version = new Version(parsed.Major, parsed.Minor);
            }
            else
            {
                bag.Error(r.ChildPath("envoyGatewayVersion"), $"{Shown.Value(text)} is not an Envoy Gateway release; write it like v1.8 (the oldest release the cluster runs)");
            }
        }

        return policy with
        {
            AllowedLimitEngines = engines,
            PerClientLimits = r.String("perClientLimits") is { } per ? EnumValue(per, r.ChildPath("perClientLimits"), policy.PerClientLimits, bag) : policy.PerClientLimits,
            AllowedClientHeaders = headers,
            MaxTokensPerWindow = maxTokens,
            EnvoyGatewayVersion = version,
            AllowAcrossModels = r.Bool("allowAcrossModels") ?? policy.AllowAcrossModels,
            Budgets = ReadBudgets(r.OpenChild("budgets", BudgetKeys), bag),
        };
    }

    private static BudgetPolicy ReadBudgets(MappingReader? r, DiagnosticBag bag)
    {
        if (r is null)
        {
            return BudgetPolicy.Default;
        }

        var currency = r.String("currency");
        if (currency is not null && Rules.PriceRules.CurrencyProblem(currency) is { } problem)
        {
            bag.Error(r.ChildPath("currency"), problem);
        }

        var maxBudget = r.Decimal("maxPerWindow");
        if (maxBudget is { } b && (b <= 0 || b > Rules.Prices.MaxBudget || Rules.Prices.DecimalPlaces(b) > Rules.Prices.MaxBudgetDecimals))
        {
            bag.Error(r.ChildPath("maxPerWindow"), string.Create(CultureInfo.InvariantCulture, $"must be above 0, at most {Rules.Prices.MaxBudget} (what Envoy Gateway can count per window) and have at most {Rules.Prices.MaxBudgetDecimals} decimal places, got {b}"));
        }

        var maxPrice = r.Decimal("maxPricePerMillionTokens");
        if (maxPrice is { } p && (p <= 0 || p > Rules.Prices.MaxPricePerMillion))
        {
            bag.Error(r.ChildPath("maxPricePerMillionTokens"), string.Create(CultureInfo.InvariantCulture, $"must be above 0 and at most {Rules.Prices.MaxPricePerMillion}, got {p}"));
        }

        if ((maxBudget is not null || maxPrice is not null) && currency is null)
        {
            bag.Error(r.ChildPath("currency"), "maxPerWindow and maxPricePerMillionTokens are amounts of money: name their currency, e.g. currency: USD");
        }

        var perClient = r.String("perClient") is { } per ? EnumValue(per, r.ChildPath("perClient"), PerClientLimits.Allowed, bag) : PerClientLimits.Allowed;
        if (perClient == PerClientLimits.Forbidden)
        {
            // one setting forbids per-client counting, for every kind of limit: two would disagree
            bag.Error(r.ChildPath("perClient"), "takes Allowed or Required; to forbid per-client budgets, forbid every per-client limit with rateLimiting.perClientLimits: Forbidden");
            perClient = PerClientLimits.Allowed;
        }

        return new BudgetPolicy
        {
            Currency = currency,
            MaxPerWindow = maxBudget,
            MaxPricePerMillionTokens = maxPrice,
            PerClient = perClient,
        };
    }

    /// <summary>The largest ceiling a policy may set: past it a values ConfigMap could not hold that much anyway (1 MiB).</summary>
    private const int MaxCeiling = 1_000_000;

    private static SizeCeilings ReadCeilings(MappingReader? r, DiagnosticBag bag)
    {
        if (r is null)
        {
            return SizeCeilings.Default;
        }

        var defaults = SizeCeilings.Default;
        int Ceiling(string key, int fallback)
        {
            var value = r.Integer(key);
            if (value is null)
            {
                return fallback;
            }

            if (value is < 1 or > MaxCeiling)
            {
                bag.Error(r.ChildPath(key), string.Create(CultureInfo.InvariantCulture, $"must be between 1 and {MaxCeiling:N0}, got {value}"));
                return fallback;
            }

            return (int)value;
        }

        return new SizeCeilings
        {
            ModelsPerConfigMap = Ceiling("modelsPerConfigMap", defaults.ModelsPerConfigMap),
            ObjectsPerConfigMap = Ceiling("objectsPerConfigMap", defaults.ObjectsPerConfigMap),
            ModelsPerNamespace = Ceiling("modelsPerNamespace", defaults.ModelsPerNamespace),
            ObjectsPerNamespace = Ceiling("objectsPerNamespace", defaults.ObjectsPerNamespace),
        };
    }

    /// <summary>An enum member by its exact name; an error with a suggestion (and <paramref name="fallback"/>) otherwise.</summary>
    private static T EnumValue<T>(string text, string path, T fallback, DiagnosticBag bag)
        where T : struct, Enum
    {
        var names = Enum.GetNames<T>();
        if (names.Contains(text, StringComparer.Ordinal))
        {
            return Enum.Parse<T>(text);
        }

        bag.Error(path, $"unknown value {Shown.Value(text)}{DidYouMean.Suggest(text, names)}; one of {string.Join(", ", names)}");
        return fallback;
    }

    private static List<GatewayGrant> ReadGrants(YNode? node, DiagnosticBag bag)
    {
        var grants = new List<GatewayGrant>();
        if (node is null)
        {
            return grants;
        }

        if (MappingReader.IsNull(node))
        {
            bag.Error("allowedGateways", "allowedGateways is null (written as ~, null or nothing after the colon); write [] for any Gateway, or list the grants");
            return grants;
        }

        if (node is not YSequence seq)
        {
            bag.Error("allowedGateways", $"expected a list of {{namespaces, gateways}}, got {node.KindName}");
            return grants;
        }

        for (var i = 0; i < seq.Items.Count; i++)
        {
            var path = FieldPath.Index("allowedGateways", i);
            var g = MappingReader.Open(seq.Items[i], path, bag, GrantKeys);
            if (g is null)
            {
                continue;
            }

            var gateways = g.StringList("gateways");
            if (gateways is null || gateways.Count == 0)
            {
                bag.Error(g.ChildPath("gateways"), "list the Gateways (namespace/name patterns) that these namespaces may use");
            }

            grants.Add(new GatewayGrant(g.String("namespaces") ?? "*", gateways ?? []));
        }

        return grants;
    }
}
