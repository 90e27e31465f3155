using System.Net;
using EmpowerBot.Channels.Slack;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>
/// Invariant 3 for Slack: a request Slack heard "200" for is not lost when the instance stops or crashes before its
/// worker has run it; it is run once another instance (or the same one, restarted) finds its journal entry due.
/// </summary>
public sealed class SlackRestartTests : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    private FakeSlack slack = null!;

    public async Task InitializeAsync() => slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync()
    {
        await slack.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string?> HostSettings() => Settings(slack, new() { ["Storage:SqlitePath"] = Path.Combine(dataDir, "bot.db") });

    private static async Task<List<TableEntity>> CreditsAsync(BotHost bot) =>
        (await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11")).Where(r => r.RowKey.StartsWith("credit|")).ToList();

    [Fact]
    public async Task A_credit_acknowledged_to_Slack_but_cut_short_by_a_stop_is_applied_once_and_answered_after_the_restart()
    {
        var first = new BotHost(HostSettings(), configureServices: BotHost.StopsAtOnce);
        var clock = first.Clock;
        slack.Delay = TimeSpan.FromMinutes(5); // every Web API call hangs: the turn is stuck mid-way
        using (var response = await EventAsync(first, DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery", "Ev0CRASH1")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Eventually.UntilAsync(() => Task.FromResult(slack.Attempts > 0), "the turn to reach Slack");
        first.Dispose();

        slack.Delay = TimeSpan.Zero;
        slack.Clear();
        using var second = new BotHost(HostSettings(), clock);
        _ = second.Services;
        Assert.Empty(slack.CallsTo("chat.postMessage"));

        clock.Advance(SlackJournal.ReplayAfter + TimeSpan.FromSeconds(1));
        var receipt = await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex));

        Assert.Contains("$25.00", receipt.Everything);
        Assert.Single(await CreditsAsync(second));
    }

    [Fact]
    public async Task A_request_run_to_the_end_leaves_nothing_to_run_again()
    {
        using var bot = new BotHost(HostSettings());
        using (await EventAsync(bot, DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery", "Ev0DONE1"))) { }
        await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex));
        var answered = slack.CallsTo("chat.postMessage").Count;

        bot.Clock.Advance(SlackJournal.ReplayAfter + TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(async () => !(await bot.OutboxRowsAsync()).Any(r => r.GetString("kind") == SlackJournal.MessageKind),
            "the journal entry to be gone");
        await bot.SettledAsync(slack);

        Assert.Equal(answered, slack.CallsTo("chat.postMessage").Count);
        Assert.Single(await CreditsAsync(bot));
    }
}
