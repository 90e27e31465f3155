using System.Text.Json;
using EmpowerBot.Hosting;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>Reads and checks an inbound Activity: content type, size, JSON, and the members every turn needs.</summary>
public static class ActivityReader
{
    public static async Task<(Activity? Activity, IResult? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (!MediaTypes.IsJson(request.ContentType))
        {
            return (null, MessagesEndpoint.Problem(400, "Content-Type must be application/json."));
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, MessagesEndpoint.Problem(413, $"Activity larger than {maxBytes / 1024} KB."));
        }
        var body = await ReadLimitedAsync(request.Body, request.ContentLength, maxBytes, ct);
        if (body is null)
        {
            return (null, MessagesEndpoint.Problem(413, $"Activity larger than {maxBytes / 1024} KB."));
        }
        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body.Value.Span, ActivityJson.Options);
        }
        catch (JsonException e)
        {
            return (null, MessagesEndpoint.Problem(400, $"Malformed activity JSON ({e.Path ?? "body"}, line {e.LineNumber + 1})."));
        }
        var missing = activity is null ? "body" : Missing(activity);
        return missing is null
            ? (activity, null)
            : (null, MessagesEndpoint.Problem(400, $"Activity is missing '{missing}'."));
    }

    private static string? Missing(Activity a) =>
        string.IsNullOrWhiteSpace(a.Type) ? "type"
        : string.IsNullOrWhiteSpace(a.ChannelId) ? "channelId"
        : string.IsNullOrWhiteSpace(a.ServiceUrl) ? "serviceUrl"
        : string.IsNullOrWhiteSpace(a.Conversation?.Id) ? "conversation.id"
        : string.IsNullOrWhiteSpace(a.From?.Id) ? "from.id"
        : !Uri.TryCreate(a.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != "https" && url.Scheme != "http") ? "serviceUrl (absolute http(s) URL)"
        : null;

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/>; null when the body is larger (chunked bodies have no Content-Length).
    /// An announced length sizes the buffer, so the usual activity costs one array of its own size.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(Stream body, long? contentLength, int maxBytes, CancellationToken ct)
    {
        // One byte more than expected, so the read that finds the end of the body has room and needs no second array.
        var buffer = new byte[(int)Math.Min(contentLength ?? 4 * 1024, maxBytes) + 1];
        var length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
            if (length > maxBytes) return null;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, maxBytes + 1L));
            }
        }
        return buffer.AsMemory(0, length);
    }
}
