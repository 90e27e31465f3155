using System.Net;
using System.Text.Json;
using EmpowerBot.Outbox;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Outbox;

/// <summary>Billing events through the outbox to a real HTTP receiver: signing, and what each answer leads to.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "whsec-test-0123456789";
    private FakeWebhook webhook = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        webhook = await FakeWebhook.StartAsync();
        bot = OutboxTestKit.Start(new Dictionary<string, string?>
        {
            ["Billing:WebhookUrl"] = webhook.Url.ToString(),
            ["Billing:SigningSecret"] = Secret,
            // One quick retry inside the HTTP pipeline, then the answer reaches the outbox.
            ["Resilience:MaxRetries"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await webhook.DisposeAsync();
    }

    [Fact]
    public async Task The_webhook_signature_verifies_and_a_tampered_body_does_not()
    {
        await EnqueueAsync("credit-c-1");

        var request = Assert.Single(await webhook.WaitForDeliveredAsync(1));

        Assert.Equal("""{"creditId":"credit-c-1","amountMinor":2500,"currency":"USD"}""", request.Body);
        Assert.Equal("credit-c-1", request.Header("Idempotency-Key"));
        Assert.StartsWith("application/json", request.Header("Content-Type"));
        var (timestamp, signature) = (request.Header("X-EmpowerBot-Timestamp"), request.Header("X-EmpowerBot-Signature"));
        Assert.Matches("^v1=[0-9a-f]{64}$", signature);
        Assert.Equal(SignatureCheck.Valid, WebhookSignature.Check(Secret, timestamp, request.Body, signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, timestamp, request.Body.Replace("2500", "9500"), signature));
        Assert.False(WebhookSignature.Verify("another-secret-0123456789", timestamp, request.Body, signature));
        Assert.False(WebhookSignature.Verify(Secret, (long.Parse(timestamp!) + 1).ToString(), request.Body, signature));
    }

    [Fact]
    public void The_signature_is_the_documented_hmac_of_version_timestamp_and_body()
    {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec-test-0123456789',
        //   b'v1:1700000000:{\"creditId\":\"c-1\",\"amount\":2500}', hashlib.sha256).hexdigest())"
        const string body = """{"creditId":"c-1","amount":2500}""";

        Assert.Equal("v1=41387a9de65ef9b95baef3029db61a9d54ebba481b88b365b282e2977913d0cc", WebhookSignature.Compute(Secret, 1700000000, body));
        Assert.Equal(SignatureCheck.Stale, WebhookSignature.Check(Secret, "1700000000", body, WebhookSignature.Compute(Secret, 1700000000, body),
            DateTimeOffset.FromUnixTimeSeconds(1700000000 + 301), TimeSpan.FromMinutes(5)));
        Assert.Equal(SignatureCheck.Invalid, WebhookSignature.Check(Secret, "1700000000", body + " ", WebhookSignature.Compute(Secret, 1700000000, body),
            DateTimeOffset.FromUnixTimeSeconds(1700000000), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_400_from_the_webhook_makes_a_dead_letter()
    {
        webhook.FailNext(1, HttpStatusCode.BadRequest);
        await EnqueueAsync("credit-c-2");

        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Any(r => r.RowKey == "dead|credit-c-2"), "the dead letter");

        Assert.Contains("HTTP 400", (await bot.DeadLetterAsync("credit-c-2")).GetString("lastError"));
        Assert.Single(webhook.Requests);
    }

    [Fact]
    public async Task A_503_from_the_webhook_is_retried_with_the_same_idempotency_key()
    {
        webhook.FailNext(2, HttpStatusCode.ServiceUnavailable);
        await EnqueueAsync("credit-c-3");
        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Any(r => r.GetInt64("attempts") == 1 && !r.GetBool("leased")), "the retry");

        bot.Clock.Advance(TimeSpan.FromSeconds(2));
        await webhook.WaitForDeliveredAsync(1);

        Assert.Equal([503, 503, 200], webhook.Requests.Select(r => r.Status));
        Assert.All(webhook.Requests, r => Assert.Equal("credit-c-3", r.Header("Idempotency-Key")));
        await Eventually.UntilAsync(() => bot.OutboxEmptyAsync(), "the outbox to empty");
    }

    [Fact]
    public async Task A_retry_after_from_the_webhook_sets_the_next_attempt()
    {
        // 120 s is also the lease, so the retry lands on the leased row's own key: it must be rewritten in place.
        webhook.FailNext(2, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(120));
        await EnqueueAsync("credit-c-4");

        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Any(r => r.GetInt64("attempts") == 1 && !r.GetBool("leased")), "the retry");

        var row = Assert.Single(await bot.OutboxRowsAsync());
        Assert.Equal(bot.Clock.GetUtcNow().AddSeconds(120).UtcTicks, long.Parse(row.RowKey[..19]));
        Assert.Contains("HTTP 429", row.GetString("lastError"));
    }

    private Task EnqueueAsync(string creditId) => bot.Writer().EnqueueAsync(
        BillingWebhookHandler.Message(creditId, new { creditId, amountMinor = 2500, currency = "USD" }, bot.Clock.GetUtcNow()),
        CancellationToken.None);
}
