using System.Net;
using EmpowerBot.Channels.BotFramework;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace EmpowerBot.Tests.Hosting;

/// <summary>
/// The outbound pipeline as the bot registers it, in front of a peer that always answers 503: circuit state kept by the
/// pipeline registry (not by one handler chain), one breaker per Bot Connector authority.
/// </summary>
public sealed class HttpResilienceTests : IDisposable
{
    private const string Americas = "https://smba.trafficmanager.net/amer/v3/conversations";
    private const string Europe = "https://smba.trafficmanager.net.example/emea/v3/conversations";

    private readonly DownPeer peer = new();
    private readonly BotHost bot;

    public HttpResilienceTests() => bot = new BotHost(new()
    {
        ["Resilience:MaxRetries"] = "1",
        ["Resilience:BaseDelay"] = "00:00:00.001",
        ["Resilience:MinimumThroughput"] = "2",
        ["Resilience:BreakDuration"] = "00:10:00",
    }, configureServices: s => s.AddHttpClient(ConnectorClient.HttpClientName)
        .ConfigurePrimaryHttpMessageHandler(peer.NewHandler)
        // The shortest lifetime the factory allows, so a rotation happens within the test.
        .SetHandlerLifetime(TimeSpan.FromSeconds(1)));

    public void Dispose() => bot.Dispose();

    private IHttpClientFactory Factory => bot.Services.GetRequiredService<IHttpClientFactory>();

    [Fact]
    public async Task An_open_circuit_stays_open_across_a_handler_rotation()
    {
        await OpenCircuitAsync(Americas);
        var calls = peer.Calls;

        await Eventually.UntilAsync(() =>
        {
            Factory.CreateClient(ConnectorClient.HttpClientName).Dispose();
            return peer.Handlers > 1;
        }, "the client factory to rotate its handlers");

        await Assert.ThrowsAsync<BrokenCircuitException>(() => Factory.CreateClient(ConnectorClient.HttpClientName).GetAsync(Americas));
        Assert.Equal(calls, peer.Calls);
    }

    [Fact]
    public async Task One_connector_region_down_does_not_stop_calls_to_another()
    {
        await OpenCircuitAsync(Americas);
        var calls = peer.Calls;

        using var answer = await Factory.CreateClient(ConnectorClient.HttpClientName).GetAsync(Europe);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.True(peer.Calls > calls);
    }

    [Fact]
    public async Task A_connector_call_gives_up_at_its_total_timeout_instead_of_waiting_out_every_retry()
    {
        // A peer asking for 30 s between attempts: four retries would keep a reply inside /api/messages for two minutes.
        peer.RetryAfter = TimeSpan.FromSeconds(30);
        using var quick = new BotHost(new() { ["Resilience:ConnectorTotalTimeout"] = "00:00:01", ["Resilience:MaxDelay"] = "00:01:00" },
            configureServices: s => s.AddHttpClient(ConnectorClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(peer.NewHandler));
        var client = quick.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ConnectorClient.HttpClientName);

        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => client.GetAsync(Americas));
        Assert.Equal(1, peer.Calls);
    }

    private async Task OpenCircuitAsync(string url)
    {
        var client = Factory.CreateClient(ConnectorClient.HttpClientName);
        for (var call = 0; call < 10; call++)
        {
            try
            {
                (await client.GetAsync(url)).Dispose();
            }
            catch (BrokenCircuitException)
            {
                return;
            }
        }
        Assert.Fail("The circuit never opened.");
    }

    /// <summary>A peer that is down: every request answers 503. Counts the requests and the handler chains built on it.</summary>
    private sealed class DownPeer
    {
        private int calls, handlers;

        public int Calls => Volatile.Read(ref calls);
        public TimeSpan? RetryAfter { get; set; }
        public int Handlers => Volatile.Read(ref handlers);

        public HttpMessageHandler NewHandler()
        {
            Interlocked.Increment(ref handlers);
            return new Answering(this);
        }

        private sealed class Answering(DownPeer peer) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                Interlocked.Increment(ref peer.calls);
                var answer = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
                if (peer.RetryAfter is { } wait) answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
                return Task.FromResult(answer);
            }
        }
    }
}
