using Xunit;

namespace AiGatewayModels.Integration.Tests.ControlPlane;

/// <summary>Tests in this collection share one <see cref="ControlPlaneFixture"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ControlPlaneCollectionDefinition : ICollectionFixture<ControlPlaneFixture>
{
    public const string Name = "control-plane";
}
