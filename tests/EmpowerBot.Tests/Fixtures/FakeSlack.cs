using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>One Web API call the bot made: the method, its bearer token, and its JSON or form body (as a JSON object).</summary>
public sealed record SlackCall(string Method, string? Authorization, string ContentType, JsonElement Body)
{
    /// <summary>What the fake answered (ts and channel of a posted message, …).</summary>
    public JsonElement Answer { get; init; }

    public string? Str(string name) => Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The blocks (or view) as raw JSON, for "shows X" assertions.</summary>
    public string Everything => Body.GetRawText();
}

/// <summary>
/// The Slack Web API on loopback (point Slack:ApiBaseUrl at <see cref="ApiBaseUrl"/>): records every call with its body
/// and answers {"ok": true, …} with plausible ids — a ts per message, "D{user}" for the direct conversation with a user,
/// users from <see cref="Users"/>. Can be told to answer the next calls with 429 and Retry-After, or with an error.
/// </summary>
public sealed class FakeSlack : IAsyncDisposable
{
    public const string BotUserId = "U0BOT";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<SlackCall> calls = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Error)> failures = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> refusals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TimeSpan>> limits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> arrivals = new(StringComparer.Ordinal);
    private TaskCompletionSource open = Opened();
    private long nextTs = 100;

    private FakeSlack(WebApplication app) => this.app = app;

    public const string ResponseUrl = "response_url";

    public string ApiBaseUrl { get; private set; } = "";

    /// <summary>A response_url for slash commands that reaches this fake.</summary>
    public string HooksUrl { get; private set; } = "";

    /// <summary>users.info answers for these user ids: (real name, e-mail); anyone else is user_not_found.</summary>
    public ConcurrentDictionary<string, (string Name, string? Email)> Users { get; } = new();

    /// <summary>The tz users.info gives for these user ids (as the user set it in their Slack preferences).</summary>
    public ConcurrentDictionary<string, string> TimeZones { get; } = new();

    /// <summary>Channel members by channel id, as conversations.members lists them, two a page.</summary>
    public ConcurrentDictionary<string, List<string>> ChannelMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>The bytes posted to each upload URL, by file id.</summary>
    public ConcurrentDictionary<string, byte[]> Uploads { get; } = new(StringComparer.Ordinal);

    /// <summary>Users whose users.info says is_bot.</summary>
    public ConcurrentDictionary<string, bool> Bots { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<SlackCall> Calls => calls.ToArray();

    public int Attempts;

    /// <summary>How long each answer takes (a slow Slack).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>How long answers to these methods take, in place of <see cref="Delay"/> (one slow method).</summary>
    public ConcurrentDictionary<string, TimeSpan> Delays { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<SlackCall> CallsTo(string method) => Calls.Where(c => c.Method == method).ToList();

    /// <summary>Calls to <paramref name="method"/> that reached the fake, answered or not yet (a slow or held one counts at once).</summary>
    public int ArrivalsOf(string method) => arrivals.GetValueOrDefault(method);

    /// <summary>From now on no call is answered (nor recorded) until <see cref="Release"/>: Slack has stopped answering.</summary>
    public void Hold() => Interlocked.CompareExchange(ref open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), open);

    /// <summary>Answers the held calls and every call after them.</summary>
    public void Release() => open.TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        opened.SetResult();
        return opened;
    }

    public static async Task<FakeSlack> StartAsync()
    {
        var app = LoopbackServer.Create();
        var slack = new FakeSlack(app);
        app.MapPost("/api/{method}", slack.HandleAsync);
        // Where files.getUploadURLExternal sends a file's bytes; kept by file id.
        app.MapPost("/upload/{id}", async (HttpContext http, string id) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            slack.Uploads[id] = body.ToArray();
        });
        // A slash command's response_url, recorded as calls to "response_url".
        app.MapPost("/hooks/{**path}", http => slack.HandleAsync(http, ResponseUrl));
        var root = await LoopbackServer.StartAsync(app);
        slack.ApiBaseUrl = root + "/api/";
        slack.HooksUrl = root + "/hooks/commands/T0TEST/1/x";
        return slack;
    }

    /// <summary>The next <paramref name="count"/> calls answer HTTP <paramref name="status"/>, with Retry-After when given.</summary>
    public void FailNext(int count, HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++) failures.Enqueue((status, retryAfter, null));
    }

    /// <summary>The next call answers 200 {"ok": false, "error": <paramref name="error"/>}.</summary>
    public void RefuseNext(string error) => failures.Enqueue((HttpStatusCode.OK, null, error));

    /// <summary>The next call to <paramref name="method"/> answers 429 with this Retry-After (and is not recorded).</summary>
    public void RateLimitNext(string method, TimeSpan retryAfter) => limits.GetOrAdd(method, _ => new()).Enqueue(retryAfter);

    /// <summary>The next call to <paramref name="method"/> answers 200 {"ok": false, "error": <paramref name="error"/>} (and is recorded).</summary>
    public void RefuseNext(string method, string error) => refusals.GetOrAdd(method, _ => new()).Enqueue(error);

    public void Clear() => calls.Clear();

    /// <summary>
    /// Waits (as <see cref="Eventually"/> does) until a call to <paramref name="method"/> matches, looking past the first
    /// <paramref name="skip"/> calls to it.
    /// </summary>
    public async Task<SlackCall> WaitForAsync(string method, Func<SlackCall, bool>? match = null, int skip = 0)
    {
        SlackCall? found = null;
        if (await Eventually.TryUntilAsync(() => (found = CallsTo(method).Skip(skip).FirstOrDefault(c => match?.Invoke(c) ?? true)) is not null)) return found!;
        throw new TimeoutException($"No {method} call{(match is null ? "" : " matching")} reached the fake Slack. Calls: {string.Join(", ", Calls.Select(c => c.Method))}");
    }

    /// <summary>Calls that reached the fake and are not answered yet (slow, or held).</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    private int inFlight;

    private async Task HandleAsync(HttpContext http, string method)
    {
        Interlocked.Increment(ref Attempts);
        arrivals.AddOrUpdate(method, 1, (_, n) => n + 1);
        Interlocked.Increment(ref inFlight);
        try
        {
            await AnswerAsync(http, method);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext http, string method)
    {
        try { await open.Task.WaitAsync(stopping.Token); }
        catch (OperationCanceledException) { return; }
        var delay = Delays.TryGetValue(method, out var slow) ? slow : Delay;
        if (delay > TimeSpan.Zero)
        {
            // A call answers late even to a caller that gave up (and is recorded then); only disposing the fake ends the
            // wait early, so a test that leaves a call hanging does not hold up its own clean-up.
            try { await Task.Delay(delay, stopping.Token); }
            catch (OperationCanceledException) { return; }
        }
        if (limits.TryGetValue(method, out var limited) && limited.TryDequeue(out var wait))
        {
            http.Response.StatusCode = (int)HttpStatusCode.TooManyRequests;
            http.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return;
        }
        if (failures.TryDequeue(out var failure))
        {
            http.Response.StatusCode = (int)failure.Status;
            if (failure.RetryAfter is { } after) http.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString();
            if (failure.Error is { } error) await http.Response.WriteAsJsonAsync(new { ok = false, error });
            return;
        }
        var contentType = http.Request.ContentType ?? "";
        JsonElement body;
        if (contentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        }
        else
        {
            var form = await http.Request.ReadFormAsync();
            body = JsonSerializer.SerializeToElement(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
        }
        var call = new SlackCall(method, http.Request.Headers.Authorization.ToString(), contentType, body);
        var answer = refusals.TryGetValue(method, out var refused) && refused.TryDequeue(out var refusal)
            ? new JsonObject { ["ok"] = false, ["error"] = refusal }.ToJsonString()
            : Answer(call).ToJsonString();
        calls.Enqueue(call with { Answer = JsonDocument.Parse(answer).RootElement.Clone() });
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(answer);
    }

    private JsonObject Answer(SlackCall call)
    {
        string Ts() => $"1795000000.{Interlocked.Increment(ref nextTs):D6}";
        switch (call.Method)
        {
            case "chat.postMessage":
                var ts = Ts();
                return new() { ["ok"] = true, ["channel"] = call.Str("channel"), ["ts"] = ts, ["message"] = new JsonObject { ["ts"] = ts, ["bot_id"] = "B0BOT" } };
            case "chat.update":
                return new() { ["ok"] = true, ["channel"] = call.Str("channel"), ["ts"] = call.Str("ts") };
            case "chat.postEphemeral":
                return new() { ["ok"] = true, ["message_ts"] = Ts() };
            case "conversations.open":
                return new() { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + call.Str("users") } };
            case "views.open":
            case "views.publish":
                return new() { ["ok"] = true, ["view"] = new JsonObject { ["id"] = "V" + Interlocked.Increment(ref nextTs) } };
            case ResponseUrl:
                return new() { ["ok"] = true };
            case "auth.test":
                return new() { ["ok"] = true, ["user_id"] = BotUserId, ["bot_id"] = "B0BOT", ["team_id"] = "T0TEST" };
            case "files.getUploadURLExternal":
                var fileId = "F" + Interlocked.Increment(ref nextTs);
                return new() { ["ok"] = true, ["file_id"] = fileId, ["upload_url"] = ApiBaseUrl.Replace("/api/", "/upload/", StringComparison.Ordinal) + fileId };
            case "files.completeUploadExternal":
                return new() { ["ok"] = true, ["files"] = new JsonArray() };
            case "conversations.members" when call.Str("channel") is { } channel && ChannelMembers.TryGetValue(channel, out var members):
                var from = int.TryParse(call.Str("cursor"), out var start) ? start : 0;
                var page = members.Skip(from).Take(2).ToList();
                var next = from + page.Count < members.Count ? (from + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                return new() { ["ok"] = true, ["members"] = new JsonArray(page.Select(m => (JsonNode?)m).ToArray()), ["response_metadata"] = new JsonObject { ["next_cursor"] = next } };
            case "conversations.members":
                return new() { ["ok"] = false, ["error"] = "channel_not_found" };
            case "users.info" when call.Str("user") is { } id && Users.TryGetValue(id, out var user):
                return new()
                {
                    ["ok"] = true,
                    ["user"] = new JsonObject
                    {
                        ["id"] = id, ["name"] = user.Name.Split(' ')[0].ToLowerInvariant(), ["real_name"] = user.Name, ["is_bot"] = Bots.ContainsKey(id),
                        ["profile"] = new JsonObject { ["real_name"] = user.Name, ["display_name"] = user.Name.Split(' ')[0], ["email"] = user.Email },
                        ["tz"] = TimeZones.TryGetValue(id, out var tz) ? tz : null,
                    },
                };
            case "users.info":
                return new() { ["ok"] = false, ["error"] = "user_not_found" };
            default:
                return new() { ["ok"] = false, ["error"] = "unknown_method" };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
