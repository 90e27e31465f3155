using System.Net;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>
/// A Slack Web API slower than the bot's attempt timeout (what may have landed is not sent again), or asking for a long
/// wait (the reply goes through the outbox, due then).
/// </summary>
public sealed class SlackSlowApiTests : SlackBotTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    protected override Dictionary<string, string?> HostSettings() => new() { ["Resilience:AttemptTimeout"] = "00:00:00.300" };

    [Fact]
    public async Task A_receipt_slack_takes_after_the_attempt_timeout_is_posted_once()
    {
        slack.Delays["chat.postMessage"] = Slow;

        using (var response = await EventAsync(bot, DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex));
        await bot.SettledAsync(slack);

        Assert.Equal(1, slack.ArrivalsOf("chat.postMessage"));
        var receipt = Assert.Single(slack.CallsTo("chat.postMessage"));
        Assert.Contains("Applied $25.00 to ACME-1042", receipt.Str("text"));
        Assert.Single(await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11"), r => r.RowKey.StartsWith("credit|"));
    }

    [Fact]
    public async Task A_reply_slack_rate_limits_for_two_minutes_waits_in_the_outbox_and_is_posted_then()
    {
        slack.RateLimitNext("chat.postMessage", TimeSpan.FromSeconds(120));

        using (await EventAsync(bot, DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery"))) { }
        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Any(r => r.GetString("kind") == "notify.person"), "the reply to wait in the outbox");
        Assert.Empty(slack.CallsTo("chat.postMessage"));

        bot.Clock.Advance(TimeSpan.FromSeconds(121));
        var receipt = await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex));

        Assert.Contains("Applied $25.00 to ACME-1042", receipt.Str("text"));
        Assert.Single(await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11"), r => r.RowKey.StartsWith("credit|"));
    }
}
