using AiGatewayModels.Engine.Rendering;
using AiGatewayModels.Webhook.Cluster;

namespace AiGatewayModels.Webhook.Admission;

/// <summary>
/// Keeps hands off the objects the expander generates (the rule: <see cref="DriftRule"/>). The old object decides
/// whether an object is ours, so removing the label or the owner reference in the same request does not get around it;
/// its controller owner reference is checked against the cluster view, by namespace, name and uid.
/// </summary>
internal sealed class DriftGuard(WebhookSettings settings, IClusterView cluster)
{
    /// <summary>True for the kinds we generate (never HTTPRoute: the AI gateway controller writes those).</summary>
    public static bool Guards(GroupVersionKind? kind) =>
        kind is { Kind: { } k } && k != "HTTPRoute" &&
        ResourceKind.All.Any(r => r.Kind == k && r.Group == (kind.Group ?? string.Empty));

    public async Task<AdmissionResponse> ReviewAsync(AdmissionRequest request, string uid, CancellationToken cancellationToken)
    {
        var owner = DriftRule.ControllerOwner(request.OldObject);
        var state = OwnerState.None;
        // only a labelled object from someone else than the expander is worth a look-up (the rule allows the rest as is)
        if (owner is not null && DriftRule.Labelled(request.OldObject) && request.UserInfo?.Username != settings.ExpanderUsername)
        {
            var ns = request.Namespace ?? ObjectJson.String(ObjectJson.Metadata(request.OldObject), "namespace") ?? string.Empty;
            state = await cluster.ValuesConfigMapLiveAsync(ns, owner.Name, owner.Uid, cancellationToken) switch
            {
                true => OwnerState.Live,
                false => OwnerState.Gone,
                null => OwnerState.Unknown,
            };
        }

        var verdict = DriftRule.Judge(request, owner, state, settings.ExpanderUsername);
        return verdict.Allowed
            ? Verdicts.Allow(uid, verdict.Message is { } warning ? [warning] : null)
            : Verdicts.Deny(uid, verdict.Message!);
    }
}
