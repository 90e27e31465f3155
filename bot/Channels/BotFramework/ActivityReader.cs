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
            return (null, HttpProblem.Json(400, "Content-Type must be application/json."));
        }
        var body = await LimitedBody.ReadAsync(request, maxBytes, ct);
        if (body is null)
        {
            return (null, HttpProblem.Json(413, $"Activity larger than {maxBytes / 1024} KB."));
        }
        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize<Activity>(body.Value.Span, ActivityJson.Options);
        }
        catch (JsonException e)
        {
            return (null, HttpProblem.Json(400, $"Malformed activity JSON ({e.Path ?? "body"}, line {e.LineNumber + 1})."));
        }
        var missing = activity is null ? "body" : Missing(activity);
        return missing is null
            ? (activity, null)
            : (null, HttpProblem.Json(400, $"Activity is missing '{missing}'."));
    }

    private static string? Missing(Activity a) =>
        string.IsNullOrWhiteSpace(a.Type) ? "type"
        : string.IsNullOrWhiteSpace(a.ChannelId) ? "channelId"
        : string.IsNullOrWhiteSpace(a.ServiceUrl) ? "serviceUrl"
        : string.IsNullOrWhiteSpace(a.Conversation?.Id) ? "conversation.id"
        : string.IsNullOrWhiteSpace(a.From?.Id) ? "from.id"
        : !Uri.TryCreate(a.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != "https" && url.Scheme != "http") ? "serviceUrl (absolute http(s) URL)"
        : null;
}
