using System.Net;
using System.Net.Http.Headers;
using EmpowerBot.Hosting;
using EmpowerBot.Outbox;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Hosting;

/// <summary>
/// Waits on a peer run on the wall clock (keyed <see cref="Clocks.Wall"/>), not on business time: a test fakes each
/// clock on its own, and moving business time never shortens a wait on a peer.
/// </summary>
public sealed class WallClockTests : IDisposable
{
    // Years away from both the real clock and the business clock, so reading the wrong clock cannot pass by accident.
    private readonly FakeTimeProvider wall = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Peer peer = new();
    private readonly BotHost bot;

    public WallClockTests() => bot = new BotHost(new()
    {
        ["Resilience:MaxRetries"] = "1",
        ["Resilience:MaxDelay"] = "00:01:00",
        ["Resilience:TotalTimeout"] = "00:00:20",
    }, configureServices: s =>
    {
        s.AddKeyedSingleton<TimeProvider>(Clocks.Wall, wall);
        s.AddHttpClient(WebhookClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new Answering(peer));
    });

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task A_webhook_retry_after_date_is_read_against_the_wall_clock()
    {
        // 501 is not retried inside the pipeline, so the outbox hears the peer's date at once.
        peer.Answer = (HttpStatusCode.NotImplemented, wall.GetUtcNow().AddSeconds(90));
        var webhooks = bot.Services.GetRequiredService<WebhookClient>();

        var outcome = await webhooks.PostAsync(new Uri("https://billing.example/hook"), "{}", "credit-1", "whsec-test-0123456789", CancellationToken.None);

        var retry = Assert.IsType<DeliveryOutcome.Retry>(outcome);
        Assert.Equal(TimeSpan.FromSeconds(90), retry.After);
    }

    [Fact]
    public async Task The_http_pipeline_waits_out_a_retry_after_date_on_the_wall_clock_whatever_business_time_does()
    {
        peer.Answer = (HttpStatusCode.ServiceUnavailable, wall.GetUtcNow().AddSeconds(3));
        var start = wall.GetUtcNow();
        var client = bot.Services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookClient.HttpClientName);

        var call = client.GetAsync("https://billing.example/hook");
        await Eventually.UntilAsync(() => peer.Calls > 0 || call.IsCompleted, "the first call to reach the peer");
        bot.Clock.Advance(TimeSpan.FromDays(1));
        // The retry's wait starts just after the first answer; step the wall clock until it is over.
        while (!call.IsCompleted && wall.GetUtcNow() - start < TimeSpan.FromSeconds(15))
        {
            wall.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TryUntilAsync(() => call.IsCompleted, TimeSpan.FromMilliseconds(20));
        }

        using var answer = await call.WaitAsync(Eventually.Patience);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal(2, peer.Calls);
        Assert.True(wall.GetUtcNow() - start >= TimeSpan.FromSeconds(3));
    }

    private sealed class Peer
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);
        public (HttpStatusCode Status, DateTimeOffset RetryAt) Answer { get; set; }

        public HttpResponseMessage Next(HttpRequestMessage request)
        {
            Interlocked.Increment(ref calls);
            var answer = new HttpResponseMessage(Answer.Status) { RequestMessage = request };
            answer.Headers.RetryAfter = new RetryConditionHeaderValue(Answer.RetryAt);
            return answer;
        }
    }

    private sealed class Answering(Peer peer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(peer.Next(request));
    }
}
