using EmpowerBot.Budget;
using EmpowerBot.Outbox;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Budget;

/// <summary>The billing hand-off of credits: durable through webhook outages and restarts, each event with a stable key.</summary>
public sealed class CreditHandoffTests : IAsyncLifetime
{
    private const string Secret = "whsec-test-0123456789";
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));
    private FakeWebhook webhook = null!;

    public async Task InitializeAsync() => webhook = await FakeWebhook.StartAsync();

    public async Task DisposeAsync()
    {
        await webhook.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Storage:SqlitePath"] = Path.Combine(dataDir, "bot.db"),
        ["Billing:WebhookUrl"] = webhook.Url.ToString(),
        ["Billing:SigningSecret"] = Secret,
    };

    [Fact]
    public async Task Credits_made_while_billing_is_down_reach_it_after_a_restart_each_with_its_idempotency_key()
    {
        webhook.Down = true;
        var receipts = new List<string>();
        using (var first = new BotHost(Settings(), clock))
        {
            foreach (var i in Enumerable.Range(0, 5))
                receipts.Add((await first.ExchangeAsync(Activities.Message($"credit $10 to CUST-{i} for late delivery"))).Everything());
            receipts.Add((await first.ExchangeAsync(Activities.Message("credit $600 to CUST-9 for late delivery"))).Everything());
            clock.Advance(TimeSpan.FromSeconds(2)); // hand-offs fall due a moment after the credit
            await Eventually.UntilAsync(() => webhook.Requests.Count > 0, "an attempt against the dead webhook");
        }
        Assert.Empty(webhook.Delivered);
        Assert.All(receipts.Take(5), r => Assert.Contains("Sent to billing automatically", r));

        webhook.Down = false;
        clock.Advance(TimeSpan.FromMinutes(15));
        using var second = new BotHost(Settings(), clock);
        _ = second.Services; // start the host: its dispatcher picks up what the first left
        await Eventually.UntilAsync(async () =>
        {
            if (await second.OutboxEmptyAsync()) return true;
            await second.SkipToNextDueAsync(); // a delivery retried on a loaded machine waits for business time
            return false;
        }, "every hand-off to leave the outbox");

        var delivered = webhook.Delivered;
        var keys = delivered.Select(r => r.Header("Idempotency-Key")).Distinct().ToList();
        Assert.Equal(5, keys.Count); // the refused credit is never billed
        Assert.All(delivered, r => Assert.Contains("\"event\":\"credit.applied\"", r.Body));
        Assert.All(delivered, r => Assert.True(WebhookSignature.Verify(Secret, r.Header("X-EmpowerBot-Timestamp"), r.Body, r.Header("X-EmpowerBot-Signature"))));
        Assert.All(delivered, r => Assert.Contains($"\"creditId\":\"{r.Header("Idempotency-Key")}\"", r.Body));
    }

    [Fact]
    public async Task An_undone_credit_sends_a_second_event_with_its_own_key()
    {
        using var bot = new BotHost(Settings(), clock);
        var receipt = (await bot.ExchangeAsync(Activities.Message("credit $10 to CUST-1 for late delivery"))).Everything();
        var creditRef = "C-" + receipt.Split("Ref C-")[1][..4];
        await bot.ExchangeAsync(Activities.Message("undo " + creditRef));
        clock.Advance(TimeSpan.FromSeconds(5));

        var delivered = await webhook.WaitForDeliveredAsync(2);

        var applied = Assert.Single(delivered, r => r.Body.Contains("credit.applied"));
        var voided = Assert.Single(delivered, r => r.Body.Contains("credit.voided"));
        Assert.Equal(applied.Header("Idempotency-Key") + ":voided", voided.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task A_credit_as_the_month_turns_in_a_zone_changing_its_clocks_is_billed_once_in_its_ledger_month()
    {
        // The demo team is in New York, whose clocks change in March and November (so months start at 04:00 or 05:00 UTC).
        // Every clock read moves business time on by a millisecond, and each credit starts a millisecond closer to the
        // turn of its month (the last milliseconds of one month, the first of the next), so for one of them the month
        // turns between any two clock reads of the turn.
        const int Credits = 48;
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var month = Period.Containing(clock.GetUtcNow(), zone);
        // The first host only records: a dispatcher delivering while business time jumps a month at a time would see
        // every lease it holds run out at the next jump, and a message months past its due that loses its lease is a
        // dead letter at once (then swept 14 days of business time later). The second bills everything, with a MaxAge
        // longer than the 48 months the loop jumps, so a delivery retried on a loaded machine is retried, not dead.
        var logs = new LogRecorder();
        using (var bot = new BotHost(new Dictionary<string, string?>(Settings()) { ["Outbox:Enabled"] = "false" }, clock, logs.AddTo))
        {
            _ = bot.Services;
            for (var i = 0; i < Credits; i++)
            {
                clock.AutoAdvanceAmount = TimeSpan.Zero;
                clock.SetUtcNow(month.End - TimeSpan.FromMilliseconds(Credits - i));
                month = Period.Containing(month.End, zone);
                clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
                Assert.Contains("Applied $5.00", (await bot.ExchangeAsync(Activities.Message($"credit $5 to CUST-{i} for late delivery"))).Everything());
            }
            clock.AutoAdvanceAmount = TimeSpan.Zero;
        }
        Assert.Empty(webhook.Requests);

        var firstHostLogs = logs.Records.Count;
        clock.Advance(TimeSpan.FromMinutes(5)); // past the grace an uncommitted intent gets
        using var second = new BotHost(new Dictionary<string, string?>(Settings()) { ["Outbox:MaxAge"] = "1900.00:00:00" }, clock, logs.AddTo);
        _ = second.Services;
        var done = await Eventually.TryUntilAsync(async () =>
        {
            if (webhook.Delivered.Count >= Credits && await second.OutboxEmptyAsync(butDeadLetters: true)) return true;
            await second.SkipToNextDueAsync(); // a delivery retried on a loaded machine waits for business time
            return false;
        });
        if (!done)
        {
            var rows = (await second.OutboxRowsAsync()).Select(r => $"{r.RowKey} {r.GetString("kind")} attempts={r.GetInt64("attempts")} leased={r.GetBool("leased")} error={r.GetString("lastError")}");
            Assert.Fail($"Not every hand-off was delivered: {webhook.Delivered.Count} of {Credits} delivered, {webhook.Requests.Count} requests, " +
                $"now {clock.GetUtcNow().UtcTicks}; outbox: {string.Join("; ", rows)}; log: " +
                string.Join(" | ", logs.Records.Select((r, i) => (r, i)).Where(x => x.r.Level >= LogLevel.Warning || x.r.Level == LogLevel.Information && x.r.Message.Contains(CreditHandoff.MessageKind))
                    .Select(x => $"{(x.i < firstHostLogs ? "first" : "second")}: {x.r.Message}")));
        }

        Assert.DoesNotContain(await second.OutboxRowsAsync(), r => r.GetString("kind") == CreditHandoff.MessageKind);
        Assert.Equal(Credits, webhook.Delivered.Select(r => r.Header("Idempotency-Key")).Distinct().Count());
        Assert.Equal(Credits, webhook.Delivered.Count);
    }
}
