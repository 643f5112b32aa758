namespace AiGatewayModels.Engine.Input;

/// <summary>Values plus where they live: the namespace and name of the ConfigMap that holds (or will hold) them.</summary>
public sealed record ValuesDocument(string Namespace, string Name, string ValuesYaml, string? Uid = null);
