using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>One call the bot made to the connector.</summary>
public sealed record ConnectorCall(string Method, string Path, string? Authorization, JsonElement Body);

/// <summary>
/// A Bot Connector stand-in on loopback: records every call the bot makes (reply, send, update, create
/// conversation) and can be told to fail the next calls, with an optional Retry-After.
/// </summary>
public sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ConnectorCall> calls = new();
    private readonly ConcurrentQueue<(HttpStatusCode Status, TimeSpan? RetryAfter)> failures = new();
    private long nextId = 1000;

    private FakeConnector(WebApplication app) => this.app = app;

    public string ServiceUrl { get; private set; } = "";

    public IReadOnlyList<ConnectorCall> Calls => calls.ToArray();

    /// <summary>Activities the bot posted (replies and sends), in order.</summary>
    public IReadOnlyList<JsonElement> Posted => calls.Where(c => c.Method == "POST" && c.Path.Contains("/activities")).Select(c => c.Body).ToList();

    public int Attempts;

    public static async Task<FakeConnector> StartAsync()
    {
        var app = LoopbackServer.Create();
        var connector = new FakeConnector(app);
        app.Map("/v3/conversations/{**rest}", connector.HandleAsync);
        app.MapPost("/v3/conversations", connector.HandleAsync);
        connector.ServiceUrl = await LoopbackServer.StartAsync(app) + "/";
        return connector;
    }

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/> instead of succeeding.</summary>
    public void FailNext(int count, HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++) failures.Enqueue((status, retryAfter));
    }

    public void Clear() => calls.Clear();

    /// <summary>Entra object ids of people the app is not installed for: creating a conversation with one answers 403.</summary>
    public ConcurrentDictionary<string, bool> NotInstalledFor { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Members of Teams teams by team id, as pagedmembers and members/{id} list them; a page holds <see cref="MembersPageSize"/>.</summary>
    public ConcurrentDictionary<string, List<TeamsMemberJson>> TeamMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int MembersPageSize { get; set; } = 2;

    public sealed record TeamsMemberJson(string Id, string Name, string AadObjectId, string Email, string UserPrincipalName);

    /// <summary>Waits until at least <paramref name="count"/> activities were posted.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForPostedAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.TryUntilAsync(() => Posted.Count >= count, timeout);
        return Posted;
    }

    private async Task HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref Attempts);
        if (failures.TryDequeue(out var failure))
        {
            http.Response.StatusCode = (int)failure.Status;
            if (failure.RetryAfter is { } after) http.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString();
            return;
        }
        if (http.Request.Method == "GET")
        {
            await MembersAsync(http);
            return;
        }
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        if (http.Request.Method == "POST" && http.Request.Path.Value?.TrimEnd('/') == "/v3/conversations"
            && body.TryGetProperty("members", out var members) && members.GetArrayLength() > 0
            && members[0].TryGetProperty("aadObjectId", out var aad) && NotInstalledFor.ContainsKey(aad.GetString() ?? ""))
        {
            calls.Enqueue(new ConnectorCall(http.Request.Method, http.Request.Path.Value ?? "", null, body));
            http.Response.StatusCode = 403;
            await http.Response.WriteAsJsonAsync(new { error = new { code = "Forbidden", message = "The bot is not installed in the user's personal scope" } });
            return;
        }
        calls.Enqueue(new ConnectorCall(http.Request.Method, http.Request.Path.Value ?? "", http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, body));
        var id = Interlocked.Increment(ref nextId).ToString();
        http.Response.StatusCode = http.Request.Method == "PUT" ? 200 : 201;
        await http.Response.WriteAsJsonAsync(new { id });
    }

    /// <summary>GET …/{team}/pagedmembers?pageSize&amp;continuationToken (the token is the next index) and GET …/{team}/members/{id}.</summary>
    private async Task MembersAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        calls.Enqueue(new ConnectorCall("GET", path + http.Request.QueryString, null, default));
        var parts = path["/v3/conversations/".Length..].Split('/');
        if (!TeamMembers.TryGetValue(Uri.UnescapeDataString(parts[0]), out var members))
        {
            http.Response.StatusCode = 404;
            return;
        }
        if (parts.Length == 3 && parts[1] == "members")
        {
            var one = members.FirstOrDefault(m => m.Id == Uri.UnescapeDataString(parts[2]));
            if (one is null) http.Response.StatusCode = 404;
            else await http.Response.WriteAsJsonAsync(one);
            return;
        }
        var from = int.TryParse(http.Request.Query["continuationToken"], out var start) ? start : 0;
        var page = members.Skip(from).Take(MembersPageSize).ToList();
        var next = from + page.Count < members.Count ? (from + page.Count).ToString() : null;
        await http.Response.WriteAsJsonAsync(new { continuationToken = next, members = page });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
