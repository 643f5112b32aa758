using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace AiGatewayModels.Integration.Tests.Support;

public static class ApiErrors
{
    /// <summary>The apiserver's own message: the <c>message</c> of the Status object in the error response.</summary>
    public static string MessageOf(HttpOperationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var content = error.Response.Content;
        return (JsonNode.Parse(content)?["message"] as JsonValue)?.GetValue<string>()
            ?? throw new InvalidOperationException($"no Status message in the error response: {content}");
    }

    /// <summary>Runs <paramref name="request"/>, which must be refused with 403 (an admission denial); returns the message.</summary>
    public static async Task<string> DeniedAsync(Func<Task> request)
    {
        var e = await Xunit.Assert.ThrowsAsync<HttpOperationException>(request);
        Xunit.Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        return MessageOf(e);
    }

    /// <summary>Repeats <paramref name="request"/> until it is refused with 403 (a watch or a policy has to arrive first); returns the message.</summary>
    public static async Task<string> EventuallyDeniedAsync(Func<Task> request, TimeSpan timeout, string what)
    {
        string? denial = null;
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    await request();
                    return false;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
                {
                    denial = MessageOf(e);
                    return true;
                }
            },
            timeout,
            what);
        return denial!;
    }

    /// <summary>True when the object exists; false on 404.</summary>
    public static async Task<bool> ExistsAsync(Func<Task> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            await read();
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Reads a namespaced custom object, to pass to <see cref="ExistsAsync"/>.</summary>
    public static Func<Task> ReadCustomObject(Kubernetes client, string group, string version, string ns, string plural, string name)
    {
        ArgumentNullException.ThrowIfNull(client);
        return () => client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, ns, plural, name);
    }
}
