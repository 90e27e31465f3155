using EmpowerBot.Hosting;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Slack answered a Web API call with {"ok": false, "error": …}, or an HTTP error that outlived the retries.
/// <see cref="Error"/> is Slack's error code ("channel_not_found", "ratelimited", …).
/// </summary>
public sealed class SlackApiException(string method, string error, TimeSpan? retryAfter = null)
    : OutboundCallException($"Slack {method} failed: {error}")
{
    public string Method { get; } = method;
    public string Error { get; } = error;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public bool IsRateLimited => Error == "ratelimited";
}

/// <summary>What a posted message is: its channel and its ts (Slack's id of a message).</summary>
public sealed record SlackPosted(string Channel, string Ts);

/// <summary>Name, e-mail and time zone (IANA id, as the user set it in Slack) of a Slack user (users.info).</summary>
public sealed record SlackUser(string Id, string? Name, string? Email, string? TimeZone = null, bool IsBot = false);

/// <summary>
/// The Slack Web API methods the bot uses, with the bot token. The HttpClient runs every call through the shared
/// resilience pipeline (429 honours Retry-After; 5xx and timeouts are retried, except for a call that posts or opens
/// something, which may have landed and is repeated only after a 429 or a refused connection); an "ok": false answer is a
/// <see cref="SlackApiException"/> and is not retried, since the same call would fail the same way.
/// </summary>
public sealed class SlackApiClient(HttpClient http, IOptions<SlackOptions> options, ILogger<SlackApiClient> log)
{
    public const string HttpClientName = "SlackWebApi";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// chat.postMessage: a new message (blocks, with text as the notification and fallback). Blocks Slack refuses
    /// (invalid_blocks, msg_too_long, …) are logged and the text is posted alone, so the person always hears something.
    /// </summary>
    public async Task<SlackPosted> PostMessageAsync(string channel, SlackMessage message, CancellationToken ct)
    {
        JsonElement answer;
        try
        {
            answer = await CallAsync("chat.postMessage", new { channel, text = message.Text, blocks = message.Blocks, unfurl_links = false }, ct, actsOnce: true);
        }
        catch (SlackApiException e) when (message.Blocks is not null && !NotAboutTheMessage.Contains(e.Error))
        {
            log.LogWarning("Slack refused a message's blocks ({Error}); posting its text alone", e.Error);
            answer = await CallAsync("chat.postMessage", new { channel, text = message.Text, unfurl_links = false }, ct, actsOnce: true);
        }
        return new SlackPosted(Str(answer, "channel") ?? channel, Str(answer, "ts") ?? throw new SlackApiException("chat.postMessage", "no ts in the answer"));
    }

    // Refusals the text alone would meet as well: where it goes, who sends it, how often.
    private static readonly HashSet<string> NotAboutTheMessage = new(StringComparer.Ordinal)
    {
        "ratelimited", "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive",
        "token_revoked", "token_expired", "missing_scope", "restricted_action", "team_access_not_granted",
    };

    /// <summary>chat.update: replaces a message the bot posted, for everyone who sees it.</summary>
    public Task UpdateMessageAsync(string channel, string ts, SlackMessage message, CancellationToken ct) =>
        CallAsync("chat.update", new { channel, ts, text = message.Text, blocks = message.Blocks ?? [] }, ct);

    /// <summary>chat.postEphemeral: a message only <paramref name="user"/> sees, in <paramref name="channel"/>.</summary>
    public Task PostEphemeralAsync(string channel, string user, SlackMessage message, CancellationToken ct) =>
        CallAsync("chat.postEphemeral", new { channel, user, text = message.Text, blocks = message.Blocks }, ct, actsOnce: true);

    /// <summary>
    /// A slash command's response_url: an ephemeral message where the command was typed, seen by the person alone.
    /// Only Slack's own hooks (or the configured API's host, for tests) get it, and never with the bot token.
    /// </summary>
    public async Task RespondAsync(string responseUrl, SlackMessage message, CancellationToken ct)
    {
        if (!IsSlackHook(responseUrl, out var url)) throw new SlackApiException("response_url", "not a Slack hook URL");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { response_type = "ephemeral", text = message.Text, blocks = message.Blocks }, options: Json),
        };
        request.Options.Set(EmpowerBot.Hosting.HttpResilience.ActsOnce, true);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw new SlackApiException("response_url", $"HTTP {(int)response.StatusCode}");
    }

    public bool IsSlackHook(string candidate, out Uri url)
    {
        var api = options.Value.ApiBase;
        return Uri.TryCreate(candidate, UriKind.Absolute, out url!)
            && ((url.Scheme == Uri.UriSchemeHttps && url.Host == "hooks.slack.com") || (url.Scheme == api.Scheme && url.Authority == api.Authority));
    }

    /// <summary>conversations.open: the direct conversation with a user (the same one every time); returns its channel id.</summary>
    public async Task<string> OpenConversationAsync(string userId, CancellationToken ct)
    {
        var answer = await CallAsync("conversations.open", new { users = userId, return_im = false }, ct);
        return answer.TryGetProperty("channel", out var channel) && Str(channel, "id") is { } id
            ? id
            : throw new SlackApiException("conversations.open", "no channel in the answer");
    }

    /// <summary>views.open: shows a modal; the trigger id lives three seconds and opens one view.</summary>
    public Task OpenViewAsync(string triggerId, JsonObject view, CancellationToken ct) =>
        CallAsync("views.open", new { trigger_id = triggerId, view }, ct, actsOnce: true);

    /// <summary>views.publish: replaces the user's App Home tab.</summary>
    public Task PublishViewAsync(string userId, JsonObject view, CancellationToken ct) =>
        CallAsync("views.publish", new { user_id = userId, view }, ct);

    /// <summary>users.info: display name, e-mail (the e-mail needs the users:read.email scope) and tz.</summary>
    public async Task<SlackUser> GetUserAsync(string userId, CancellationToken ct)
    {
        var answer = await CallAsync("users.info", new FormUrlEncodedContent([new("user", userId)]), ct);
        var user = answer.GetProperty("user");
        var profile = user.TryGetProperty("profile", out var p) ? p : default;
        var name = Str(profile, "real_name") ?? Str(user, "real_name") ?? Str(profile, "display_name") ?? Str(user, "name");
        var isBot = user.TryGetProperty("is_bot", out var bot) && bot.ValueKind == JsonValueKind.True;
        return new SlackUser(userId, name, Str(profile, "email"), Str(user, "tz"), isBot);
    }

    /// <summary>conversations.members: one page of a channel's member ids, and the cursor of the next (null on the last).</summary>
    public async Task<(List<string> Members, string? Next)> ChannelMembersAsync(string channel, string? cursor, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("channel", channel), new("limit", "200") };
        if (cursor is { Length: > 0 }) form.Add(new("cursor", cursor));
        var answer = await CallAsync("conversations.members", new FormUrlEncodedContent(form), ct);
        var members = answer.TryGetProperty("members", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList()
            : [];
        var next = answer.TryGetProperty("response_metadata", out var meta) ? Str(meta, "next_cursor") : null;
        return (members, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>
    /// Uploads a file to a conversation the way Slack's files API takes it: files.getUploadURLExternal for an upload URL,
    /// the bytes posted there, then files.completeUploadExternal to share it with <paramref name="comment"/>.
    /// </summary>
    public async Task UploadFileAsync(string channel, string fileName, string title, Stream content, long length, string? comment, CancellationToken ct)
    {
        var ticket = await CallAsync("files.getUploadURLExternal", new FormUrlEncodedContent([new("filename", fileName), new("length", length.ToString(System.Globalization.CultureInfo.InvariantCulture))]), ct);
        var fileId = Str(ticket, "file_id") ?? throw new SlackApiException("files.getUploadURLExternal", "no file_id in the answer");
        // Only to where Slack said, on Slack's own hosts (or the configured API's, for a test double).
        if (Str(ticket, "upload_url") is not { } target || !Uri.TryCreate(target, UriKind.Absolute, out var upload)
            || !((upload.Scheme == Uri.UriSchemeHttps && upload.Host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase)) || upload.Authority == options.Value.ApiBase.Authority))
            throw new SlackApiException("files.getUploadURLExternal", "the upload URL is not Slack's");
        using (var request = new HttpRequestMessage(HttpMethod.Post, upload) { Content = new StreamContent(content) })
        {
            request.Options.Set(EmpowerBot.Hosting.HttpResilience.ActsOnce, true);
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) throw new SlackApiException("file upload", $"HTTP {(int)response.StatusCode}");
        }
        await CallAsync("files.completeUploadExternal", new { files = new[] { new { id = fileId, title } }, channel_id = channel, initial_comment = comment }, ct, actsOnce: true);
    }

    /// <summary>auth.test: who the token belongs to; its user_id is the bot user.</summary>
    public async Task<string> BotUserIdAsync(CancellationToken ct) =>
        Str(await CallAsync("auth.test", new FormUrlEncodedContent([]), ct), "user_id") ?? throw new SlackApiException("auth.test", "no user_id in the answer");

    private Task<JsonElement> CallAsync(string method, object body, CancellationToken ct, bool actsOnce = false) =>
        CallAsync(method, JsonContent.Create(body, body.GetType(), options: Json), ct, actsOnce);

    /// <param name="actsOnce">A call that posts or opens something: not repeated after a timeout or 5xx, when it may have landed.</param>
    private async Task<JsonElement> CallAsync(string method, HttpContent content, CancellationToken ct, bool actsOnce = false)
    {
        var o = options.Value;
        if (!o.Enabled) throw new SlackApiException(method, "Slack is not configured (Slack:SigningSecret and Slack:BotToken)");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(o.ApiBase, method)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.BotToken);
        request.Options.Set(EmpowerBot.Hosting.HttpResilience.ActsOnce, actsOnce);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new SlackApiException(method, "ratelimited", response.Headers.RetryAfter?.Delta);
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException(method, $"HTTP {(int)response.StatusCode}");
        }
        JsonElement answer;
        try
        {
            answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (JsonException)
        {
            throw new SlackApiException(method, "the answer is not JSON");
        }
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True)
        {
            throw new SlackApiException(method, Str(answer, "error") ?? "ok is not true");
        }
        return answer;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>A message for Slack: notification/fallback text and optional Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray? Blocks = null);
