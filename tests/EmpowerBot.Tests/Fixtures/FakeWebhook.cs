using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>One request that reached the webhook, with the status it was answered (0 when the connection was cut).</summary>
public sealed record WebhookRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Status)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A webhook receiver (the billing system's stand-in) on loopback: records every request with its headers and raw
/// body, and can be told to fail the next requests with a status and Retry-After, or to be down entirely (every
/// connection is cut, as when the peer is unreachable).
/// </summary>
public sealed class FakeWebhook : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<WebhookRequest> requests = new();
    private readonly ConcurrentQueue<(HttpStatusCode Status, TimeSpan? RetryAfter)> failures = new();
    private volatile bool down;

    private FakeWebhook(WebApplication app) => this.app = app;

    /// <summary>The URL to configure as Billing:WebhookUrl.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request that arrived, in order, including the failed ones.</summary>
    public IReadOnlyList<WebhookRequest> Requests => requests.ToArray();

    /// <summary>Requests answered 2xx.</summary>
    public IReadOnlyList<WebhookRequest> Delivered => requests.Where(r => r.Status is >= 200 and < 300).ToList();

    /// <summary>While true, every connection is cut before an answer: the bot sees a network failure.</summary>
    public bool Down
    {
        get => down;
        set => down = value;
    }

    public static async Task<FakeWebhook> StartAsync()
    {
        var app = LoopbackServer.Create();
        var webhook = new FakeWebhook(app);
        app.MapPost("/{**path}", webhook.HandleAsync);
        webhook.Url = new Uri(await LoopbackServer.StartAsync(app) + "/billing/events");
        return webhook;
    }

    /// <summary>The next <paramref name="count"/> requests answer <paramref name="status"/> (with Retry-After in seconds, if given).</summary>
    public void FailNext(int count, HttpStatusCode status, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++) failures.Enqueue((status, retryAfter));
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were answered 2xx.</summary>
    public async Task<IReadOnlyList<WebhookRequest>> WaitForDeliveredAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.TryUntilAsync(() => Delivered.Count >= count, timeout);
        return Delivered;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (down)
        {
            requests.Enqueue(new WebhookRequest(http.Request.Path, headers, body, 0));
            http.Abort();
            return;
        }
        var status = HttpStatusCode.OK;
        if (failures.TryDequeue(out var failure))
        {
            status = failure.Status;
            if (failure.RetryAfter is { } after) http.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString();
        }
        requests.Enqueue(new WebhookRequest(http.Request.Path, headers, body, (int)status));
        http.Response.StatusCode = (int)status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
