using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Expander.Controller;
using AiGatewayModels.Integration.Tests.Support;
using AiGatewayModels.Kube;
using k8s;
using k8s.Models;

namespace AiGatewayModels.Integration.Tests.Expander;

/// <summary>One object of the cluster, for reads through the expander's own client.</summary>
internal sealed record ObjectRef(ApiResource Resource, string Namespace, string Name);

/// <summary>Values for the scenarios, and helpers to create them and to read back what the expander made.</summary>
internal static class ValuesFixtures
{
    public const string Name = "models";
    public const string AzureSecret = "azure-openai-credentials";
    public const string AzureKey = "AZURE_OPENAI_API_KEY";
    public const string OpenAiSecret = "openai-credentials";

    /// <param name="fallback">gpt-4o fails over from openai to azure (priority 1) instead of splitting by weight.</param>
    public static string Values(int gpt4oWeight = 80, bool includeMini = true, bool rateLimiting = true, bool fallback = false) => $$"""
        gatewayRef:
          name: ai-gateway
        rateLimitPolicy:
          enabled: {{(rateLimiting ? "true" : "false")}}
          defaults:
            limits:
              per-minute:
                rates:
                  - limit: 600
                    window: 1m
        backends:
          openai:
            resourceName: openai
            schema: OpenAI
            fqdn:
              hostname: api.openai.com
              port: 443
            apiKeySecretRef:
              name: {{OpenAiSecret}}
              key: apiKey
          azure:
            resourceName: azure-openai
            schema: AzureOpenAI
            fqdn:
              hostname: team-a.openai.azure.com
              port: 443
            apiKeySecretRef:
              name: {{AzureSecret}}
              key: {{AzureKey}}
        models:
          gpt-4o:
            backends:
              openai:
                ref: openai
                weight: {{gpt4oWeight}}
              azure:
                ref: azure
                {{(fallback ? "priority: 1" : $"weight: {100 - gpt4oWeight}")}}
        {{(includeMini ? MiniModel : string.Empty)}}
        """;

    private const string MiniModel = """
          gpt-4o-mini:
            backends:
              openai:
                ref: openai
              azure:
                ref: azure
        """;

    public static async Task<V1ConfigMap> CreateValuesAsync(Kubernetes client, string ns, string values, string name = Name) =>
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(ns, name, values), ns);

    public static V1ConfigMap ConfigMap(string ns, string name, string values) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" },
            Annotations = new Dictionary<string, string> { [WellKnown.ValuesAnnotation] = "true" },
        },
        Data = new Dictionary<string, string> { [WellKnown.ValuesDataKey] = values },
    };

    public static async Task UpdateValuesAsync(Kubernetes client, string ns, string values, string name = Name)
    {
        var cm = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
        cm.Data[WellKnown.ValuesDataKey] = values;
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, name, ns);
    }

    /// <summary>
    /// The Secrets <see cref="Values"/> name: the projection source <see cref="AzureSecret"/> (key <see cref="AzureKey"/>)
    /// holding <paramref name="value"/>, and <see cref="OpenAiSecret"/>, which AI Gateway reads as it is (the expander
    /// reports it missing otherwise).
    /// </summary>
    public static async Task CreateSourceSecretAsync(Kubernetes client, string ns, string value)
    {
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = AzureSecret, Labels = NamedSecrets.CredentialLabels },
            Data = new Dictionary<string, byte[]> { [AzureKey] = Encoding.UTF8.GetBytes(value) },
        }, ns);
        await CreateOpenAiSecretAsync(client, ns);
    }

    public static async Task CreateOpenAiSecretAsync(Kubernetes client, string ns) =>
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = OpenAiSecret, Labels = NamedSecrets.CredentialLabels },
            Data = new Dictionary<string, byte[]> { ["apiKey"] = Encoding.UTF8.GetBytes("openai-test-key") },
        }, ns);

    /// <summary>The engine's objects for these values, in the versions the control plane serves, owned by the ConfigMap.</summary>
    public static async Task<IReadOnlyList<RenderedObject>> ExpectedAsync(KubeClient client, V1ConfigMap cm, CancellationToken ct = default)
    {
        var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument(cm.Metadata.NamespaceProperty, cm.Metadata.Name, cm.Data[WellKnown.ValuesDataKey], cm.Metadata.Uid));
        using var discovery = new ApiDiscovery(client);
        var selection = ApiVersionSelection.From(await discovery.ServedAsync(ct), unmentionedAreServed: false);
        return Renderer.Render(evaluation.Model!, new RenderOptions(selection, new OwnerConfigMap(cm.Metadata.Name, cm.Metadata.Uid))).Objects;
    }

    public static ObjectRef RefOf(RenderedObject o, string ns) => new(ApiResource.Of(o.ApiVersion, o.Kind.Plural), ns, o.Name);

    public static ObjectRef RefOf(ResourceKind kind, string apiVersion, string ns, string name) => new(ApiResource.Of(apiVersion, kind.Plural), ns, name);

    public static ObjectRef SecretRef(string ns, string name) => new(ApiResource.Secrets, ns, name);

    /// <summary>GET of one object through the expander's client; null when it does not exist.</summary>
    public static Task<JsonObject?> GetAsync(this KubeClient client, ObjectRef o, CancellationToken ct) => client.GetAsync(o.Resource, o.Namespace, o.Name, ct);

    /// <summary>True when every expected object exists and holds every field the engine rendered.</summary>
    public static async Task<bool> AllMatchAsync(KubeClient client, IEnumerable<RenderedObject> expected, string ns)
    {
        foreach (var o in expected)
        {
            var live = await client.GetAsync(RefOf(o, ns), CancellationToken.None);
            if (live is null || !DesiredObject.Contains(live, o.Manifest))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The Events on the ConfigMap with this reason.</summary>
    public static async Task<IReadOnlyList<Corev1Event>> EventsAsync(Kubernetes client, string ns, string reason, string name = Name)
    {
        var list = await client.CoreV1.ListNamespacedEventAsync(ns);
        return list.Items.Where(e => e.InvolvedObject.Name == name && e.InvolvedObject.Kind == "ConfigMap" && e.Reason == reason).ToList();
    }

    public static async Task<JsonObject?> StatusAsync(Kubernetes client, string ns, string name = Name)
    {
        var cm = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
        return cm.Metadata.Annotations?.TryGetValue(StatusAnnotation.Key, out var s) == true ? JsonNode.Parse(s) as JsonObject : null;
    }

    /// <summary>
    /// <paramref name="models"/> models over two backends of their own (names prefixed with <paramref name="p"/>, so
    /// that ConfigMaps of different prefixes share no generated name), both reading <paramref name="secret"/>.
    /// </summary>
    public static string OwnBackends(string p, int models, string secret)
    {
        var sb = new StringBuilder($$$"""
            gatewayRef: {name: ai-gateway}
            rateLimitPolicy: {enabled: false}
            backends:
              {{{p}}}1: {resourceName: {{{p}}}1, schema: OpenAI, fqdn: {hostname: api.openai.com, port: 443}, apiKeySecretRef: {name: {{{secret}}}, key: apiKey}}
              {{{p}}}2: {resourceName: {{{p}}}2, schema: OpenAI, fqdn: {hostname: example.openai.azure.com, port: 443}, apiKeySecretRef: {name: {{{secret}}}, key: apiKey}}
            models:

            """);
        for (var i = 0; i < models; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {p}-model-{i}: {{backends: {{one: {{ref: {p}1}}, two: {{ref: {p}2}}}}}}\n");
        }

        return sb.ToString();
    }

    /// <summary>N models over a pool of three API-key backends (no projected Secrets), two slots each, rate limits on.</summary>
    public static string Generate(int models)
    {
        var sb = new StringBuilder("""
            gatewayRef:
              name: ai-gateway
            rateLimitPolicy:
              enabled: true
            backends:
              openai:
                resourceName: openai
                schema: OpenAI
                fqdn:
                  hostname: api.openai.com
                  port: 443
                apiKeySecretRef:
                  name: openai-credentials
                  key: apiKey
              anthropic:
                resourceName: anthropic
                schema: Anthropic
                fqdn:
                  hostname: api.anthropic.com
                  port: 443
                apiKeySecretRef:
                  name: anthropic-credentials
                  key: apiKey
              cohere:
                resourceName: cohere
                schema: Cohere
                fqdn:
                  hostname: api.cohere.com
                  port: 443
                apiKeySecretRef:
                  name: cohere-credentials
                  key: apiKey
            models:

            """);
        string[] pool = ["openai", "anthropic", "cohere"];
        for (var i = 0; i < models; i++)
        {
            var (first, second) = (pool[i % 3], pool[(i + 1) % 3]);
            sb.Append(CultureInfo.InvariantCulture, $"""
                  model-{i:D4}:
                    backends:
                      {first}:
                        ref: {first}
                        weight: 70
                      {second}:
                        ref: {second}
                        weight: 30

                """);
        }

        return sb.ToString();
    }
}
