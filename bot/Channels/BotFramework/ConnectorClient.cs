using EmpowerBot.Hosting;
using System.Net.Http.Headers;
using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>Thrown when the connector refused a call for good (after the resilience pipeline gave up).</summary>
public sealed class ConnectorException(string message, int? statusCode = null) : OutboundCallException(message)
{
    public int? StatusCode { get; } = statusCode;
}

/// <summary>
/// The Bot Connector REST API (v3): reply, send, update, create conversation. The "BotConnector" HttpClient runs every
/// call through the resilience pipeline; this class adds the bearer token and the protocol's URLs. A named client taken
/// per call (not a typed client held by singletons) keeps the factory's handler rotation working.
/// </summary>
public sealed class ConnectorClient(IHttpClientFactory clients, IBotTokenProvider tokens)
{
    public const string HttpClientName = "BotConnector";

    /// <summary>POST {serviceUrl}/v3/conversations/{id}/activities/{replyToId}.</summary>
    public Task<string?> ReplyToActivityAsync(Activity activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Url(activity.ServiceUrl!, $"v3/conversations/{Esc(activity.Conversation!.Id!)}/activities/{Esc(activity.ReplyToId!)}"), activity, ct);

    /// <summary>POST {serviceUrl}/v3/conversations/{id}/activities: a new message in an existing conversation.</summary>
    public Task<string?> SendToConversationAsync(Activity activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Url(activity.ServiceUrl!, $"v3/conversations/{Esc(activity.Conversation!.Id!)}/activities"), activity, ct);

    /// <summary>PUT {serviceUrl}/v3/conversations/{id}/activities/{activityId}: replaces a message the bot sent (e.g. a decided card).</summary>
    public Task<string?> UpdateActivityAsync(Activity activity, string activityId, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, Url(activity.ServiceUrl!, $"v3/conversations/{Esc(activity.Conversation!.Id!)}/activities/{Esc(activityId)}"), activity, ct);

    /// <summary>POST {serviceUrl}/v3/conversations: opens a 1:1 conversation with someone who never wrote to the bot.</summary>
    public async Task<string> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken ct)
    {
        using var request = await RequestAsync(HttpMethod.Post, Url(serviceUrl, "v3/conversations"), parameters, ct);
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
        await EnsureSuccessAsync(response, "create conversation", ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ActivityJson.Options, ct);
        return body.TryGetProperty("id", out var id) && id.GetString() is { } value
            ? value
            : throw new ConnectorException("The connector created a conversation but returned no id.");
    }

    /// <summary>
    /// GET {serviceUrl}/v3/conversations/{id}/pagedmembers: one page of a team's (or chat's) members, and the token of the
    /// next page (null on the last).
    /// </summary>
    public async Task<(List<TeamsMember> Members, string? Next)> GetPagedMembersAsync(string serviceUrl, string conversationId, string? continuationToken,
        int pageSize, CancellationToken ct)
    {
        var query = $"?pageSize={pageSize}" + (continuationToken is null ? "" : "&continuationToken=" + Esc(continuationToken));
        var page = await GetAsync<PagedMembers>(Url(serviceUrl, $"v3/conversations/{Esc(conversationId)}/pagedmembers{query}"), "get members", ct);
        return (page?.Members ?? [], string.IsNullOrEmpty(page?.ContinuationToken) ? null : page.ContinuationToken);
    }

    /// <summary>GET {serviceUrl}/v3/conversations/{id}/members/{memberId}: one member, with name and e-mail.</summary>
    public Task<TeamsMember?> GetMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken ct) =>
        GetAsync<TeamsMember>(Url(serviceUrl, $"v3/conversations/{Esc(conversationId)}/members/{Esc(memberId)}"), "get member", ct);

    private async Task<T?> GetAsync<T>(Uri url, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (await tokens.GetTokenAsync(ct) is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
        await EnsureSuccessAsync(response, what, ct);
        return await response.Content.ReadFromJsonAsync<T>(ActivityJson.Options, ct);
    }

    private sealed record PagedMembers(string? ContinuationToken, List<TeamsMember>? Members);

    private async Task<string?> SendAsync(HttpMethod method, Uri url, Activity activity, CancellationToken ct)
    {
        using var request = await RequestAsync(method, url, activity, ct);
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
        await EnsureSuccessAsync(response, $"{method} activity", ct);
        if (response.Content.Headers.ContentLength == 0) return null;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ActivityJson.Options, ct);
        return body.ValueKind == JsonValueKind.Object && body.TryGetProperty("id", out var id) ? id.GetString() : null;
    }

    private async Task<HttpRequestMessage> RequestAsync<T>(HttpMethod method, Uri url, T body, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body, options: ActivityJson.Options) };
        var token = await tokens.GetTokenAsync(ct);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(ct);
        throw new ConnectorException($"Connector refused {what}: HTTP {(int)response.StatusCode} {TextCut.Shorten(text, 300)}", (int)response.StatusCode);
    }

    private static Uri Url(string serviceUrl, string path) => new(serviceUrl.TrimEnd('/') + "/" + path);

    private static string Esc(string s) => Uri.EscapeDataString(s);

}

/// <summary>Body of POST /v3/conversations.</summary>
public sealed record ConversationParameters(
    bool IsGroup,
    ChannelAccount Bot,
    IReadOnlyList<ChannelAccount> Members,
    string? TenantId,
    JsonElement? ChannelData = null,
    Activity? Activity = null);

/// <summary>A member of a Teams team or chat as the connector lists it (TeamsChannelAccount).</summary>
public sealed record TeamsMember(string? Id, string? Name, string? AadObjectId, string? Email, string? UserPrincipalName, string? UserRole);
