using System.Net;
using System.Text.Json;
using EmpowerBot.Hosting;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>A rep and a manager in Slack, end to end: signed requests in, Web API calls out to the fake Slack.</summary>
public sealed class SlackFlowTests : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    private FakeSlack slack = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        slack = await FakeSlack.StartAsync();
        bot = NewHost();
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await slack.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }

    private BotHost NewHost(Dictionary<string, string?>? more = null, Action<IServiceCollection>? configureServices = null) =>
        new(Settings(slack, new(more ?? []) { ["Storage:SqlitePath"] = Path.Combine(dataDir, "bot.db") }), bot?.Clock, configureServices);

    private async Task<SlackCall> SayAsync(string text, string user = Alex, string? eventId = null)
    {
        var before = slack.CallsTo("chat.postMessage").Count;
        using var response = await EventAsync(bot, DirectMessage(user, text, eventId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.UntilAsync(() => slack.CallsTo("chat.postMessage").Count(c => c.Str("channel") == Dm(user)) > CountTo(user, before), $"an answer to '{text}'");
        return slack.CallsTo("chat.postMessage").Last(c => c.Str("channel") == Dm(user));
    }

    private int CountTo(string user, int firstCalls) => slack.CallsTo("chat.postMessage").Take(firstCalls).Count(c => c.Str("channel") == Dm(user));

    private Task<List<TableEntity>> AlexLedgerAsync() => bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11");

    private static string ActionIds(SlackCall call) =>
        string.Join(",", call.Body.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray()).Select(e => e.GetProperty("action_id").GetString()));

    private static string ButtonValue(SlackCall call, string actionId) =>
        call.Body.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray())
            .Single(e => e.GetProperty("action_id").GetString() == actionId).GetProperty("value").GetString()!;

    [Fact]
    public async Task Budget_in_a_direct_message_answers_with_the_budget_blocks()
    {
        var reply = await SayAsync("budget");

        Assert.Equal(Dm(Alex), reply.Str("channel"));
        Assert.Equal("Bearer " + BotToken, reply.Authorization);
        Assert.Contains("You have $200.00 left of $200.00", reply.Str("text"));
        var blocks = reply.Body.GetProperty("blocks").GetRawText();
        Assert.Contains("Your budget for November 2026", blocks);
        Assert.Contains("*$200.00* left to spend", blocks);
        Assert.Equal("credit,help", ActionIds(reply));
        Assert.Contains(slack.Calls, c => c.Method == "users.info" && c.Str("user") == Alex);
    }

    [Fact]
    public async Task A_receipt_whose_blocks_slack_refuses_arrives_as_its_summary_text()
    {
        slack.RefuseNext("chat.postMessage", "invalid_blocks");

        using (await EventAsync(bot, DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery"))) { }
        var fallback = await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex), skip: 1);

        var refused = slack.CallsTo("chat.postMessage")[0];
        Assert.True(refused.Body.TryGetProperty("blocks", out _));
        Assert.False(fallback.Body.TryGetProperty("blocks", out _));
        Assert.Equal(refused.Str("text"), fallback.Str("text"));
        Assert.Contains("Applied $25.00 to ACME-1042", fallback.Str("text"));
        Assert.Single(await AlexLedgerAsync(), r => r.RowKey.StartsWith("credit|"));
    }

    [Fact]
    public async Task A_credit_within_policy_gets_a_receipt_with_undo_and_the_ledger_has_it()
    {
        var receipt = await SayAsync("credit $25 to ACME-1042 for late delivery");

        Assert.Contains("Applied $25.00 to ACME-1042", receipt.Str("text"));
        Assert.Contains("Credit applied", receipt.Everything);
        Assert.Equal("budget,undo", ActionIds(receipt));
        Assert.Single(await AlexLedgerAsync(), r => r.RowKey.StartsWith("credit|"));
        Assert.Contains("$175.00", (await SayAsync("budget")).Everything);
    }

    [Theory]
    [InlineData("America/Los_Angeles", "Undo (until 7:15 AM America/Los_Angeles)")]
    [InlineData(null, "Undo (until 10:15 AM America/New_York)")]
    [InlineData("Not/AZone", "Undo (until 10:15 AM America/New_York)")]
    public async Task A_receipt_shows_its_times_in_the_user_s_Slack_time_zone_else_the_team_s(string? tz, string undo)
    {
        if (tz is not null) slack.TimeZones[Alex] = tz;

        var receipt = await SayAsync("credit $25 to ACME-1042 for late delivery");

        Assert.Contains("Applied $25.00 to ACME-1042", receipt.Str("text"));
        Assert.Contains(undo, receipt.Everything);
    }

    [Fact]
    public async Task History_blocks_carry_undo_only_while_the_credit_can_be_undone_and_undo_alone_offers_it()
    {
        var receipt = await SayAsync("credit $25 to ACME-1042 for late delivery");
        var creditRef = System.Text.RegularExpressions.Regex.Match(receipt.Str("text")!, @"C-[0-9A-Z]{4}").Value;

        var within = await SayAsync("history");
        var offer = await SayAsync("undo");
        bot.Clock.Advance(TimeSpan.FromMinutes(16));
        var past = await SayAsync("history");

        Assert.Contains($"undo-{creditRef}", within.Everything);
        Assert.Contains($"undo-{creditRef}", offer.Everything);
        Assert.Contains("Undo (until 10:15 AM America/New_York)", offer.Everything);
        Assert.DoesNotContain("undo-", past.Everything);
        Assert.Contains(creditRef, past.Everything);
        Assert.Contains("$175.00", (await SayAsync("budget")).Everything);
    }

    [Fact]
    public async Task The_same_event_delivered_again_even_as_a_retry_or_after_a_restart_applies_one_credit()
    {
        var eventId = NewEventId();
        var body = DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery", eventId);

        using (await EventAsync(bot, body)) { }
        await slack.WaitForAsync("chat.postMessage", c => c.Everything.Contains("Credit applied"));
        using var retry = await EventAsync(bot, body, new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" });
        using var again = await EventAsync(bot, body);
        await bot.SettledAsync(slack);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Everything.Contains("Credit applied"));
        bot.Dispose();
        bot = NewHost(); // forgets what it saw: only the ledger's idempotency key stands between the retry and a second credit
        using (await EventAsync(bot, body, new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "2", ["X-Slack-Retry-Reason"] = "http_error" })) { }
        await Eventually.UntilAsync(() => slack.CallsTo("chat.postMessage").Count(c => c.Everything.Contains("Credit applied")) >= 2, "the receipt again");
        Assert.Equal(2, slack.CallsTo("chat.postMessage").Count(c => c.Everything.Contains("Credit applied"))); // the original receipt, again

        var credits = (await AlexLedgerAsync()).Where(r => r.RowKey.StartsWith("credit|")).ToList();
        Assert.Single(credits);
        Assert.Equal(25_00, (await AlexLedgerAsync()).Single(r => r.RowKey == "balance").GetInt64("spent"));
    }

    [Fact]
    public async Task Bot_messages_edits_and_other_subtypes_are_ignored()
    {
        var events = new[]
        {
            Event(new { type = "message", channel = Dm(Alex), user = FakeSlack.BotUserId, text = "budget", channel_type = "im", ts = "1.1" }),
            Event(new { type = "message", channel = Dm(Alex), bot_id = "B0BOT", text = "budget", channel_type = "im", ts = "1.2" }),
            Event(new { type = "message", subtype = "message_changed", channel = Dm(Alex), channel_type = "im", ts = "1.3", message = new { user = Alex, text = "budget" } }),
            Event(new { type = "message", subtype = "message_deleted", channel = Dm(Alex), channel_type = "im", ts = "1.4" }),
            Event(new { type = "message", channel = "C0GENERAL", user = Alex, text = "budget", channel_type = "channel", ts = "1.5" }),
            Event(new { type = "reaction_added", user = Alex, reaction = "thumbsup" }),
        };

        foreach (var e in events)
        {
            using var response = await EventAsync(bot, e);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Empty(await bot.SettledAsync(slack));
    }

    [Fact]
    public async Task A_button_that_carries_a_command_answers_like_the_typed_command()
    {
        var budget = await SayAsync("budget");

        using (await InteractionAsync(bot, Click(Alex, "help", ButtonValue(budget, "help"), Dm(Alex), budget.Answer.GetProperty("ts").GetString()!))) { }

        Assert.Contains("EmpowerBot help", (await slack.WaitForAsync("chat.postMessage", c => c.Everything.Contains("EmpowerBot help"))).Everything);
    }

    [Fact]
    public async Task A_failing_web_api_answers_429_and_the_bot_waits_as_told_then_delivers()
    {
        // The wait on a peer runs on the wall clock, faked here: the test moves it, and reads how far it moved.
        var wall = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        bot.Dispose();
        bot = NewHost(new() { ["Resilience:MaxDelay"] = "00:00:05" }, s => s.AddKeyedSingleton<TimeProvider>(Clocks.Wall, wall));
        slack.Users.Clear(); // no users.info answer needed first: the 429 lands on the reply itself
        await SayAsync("hello"); // learns the conversation
        slack.Clear();
        slack.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1));
        var attempts = slack.Attempts;

        using (await EventAsync(bot, DirectMessage(Alex, "budget"))) { }
        await Eventually.UntilAsync(() => slack.Attempts > attempts, "the reply's first attempt, answered 429");
        var refused = wall.GetUtcNow();
        // Step the wall clock until the reply lands: it lands only once the second Slack asked for has passed.
        while (slack.CallsTo("chat.postMessage").Count == 0 && wall.GetUtcNow() - refused < TimeSpan.FromSeconds(30))
        {
            wall.Advance(TimeSpan.FromMilliseconds(100));
            await Eventually.TryUntilAsync(() => slack.CallsTo("chat.postMessage").Count > 0, TimeSpan.FromMilliseconds(20));
        }
        await slack.WaitForAsync("chat.postMessage");

        Assert.True(wall.GetUtcNow() - refused >= TimeSpan.FromSeconds(1), $"posted again {wall.GetUtcNow() - refused} after the 429");
        Assert.True(slack.Attempts - attempts >= 2);
    }

    [Fact]
    public async Task Someone_the_roster_names_only_by_e_mail_is_found_through_their_slack_profile()
    {
        bot.Dispose();
        bot = NewHost(new()
        {
            ["Organization:Teams:1:Id"] = "west",
            ["Organization:Teams:1:Name"] = "Frontline West",
            ["Organization:Teams:1:Tenant"] = Team,
            ["Organization:Teams:1:TimeZone"] = "America/Los_Angeles",
            ["Organization:Teams:1:MonthlyBudget"] = "300",
            ["Organization:Teams:1:Members:0:Email"] = "sam@contoso.example",
            ["Organization:Teams:1:Members:0:Role"] = "Rep",
        });
        slack.Users["U0SAM"] = ("Sam Rivera", "SAM@contoso.example");

        var reply = await SayAsync("budget", user: "U0SAM");

        Assert.Contains("You have $300.00 left of $300.00", reply.Str("text"));
        Assert.Contains("Sam Rivera · Frontline West", reply.Everything);
    }

    [Fact]
    public async Task A_credit_question_answers_with_the_decision_and_its_apply_button_applies_once_in_place_of_the_answer()
    {
        var answer = await SayAsync("can I give ACME-9 $40 for a missing item?");

        Assert.Contains("Yes, you can give this credit", answer.Everything);
        Assert.Contains("Nothing has been applied", answer.Everything);
        Assert.Equal("credit-question,limits", ActionIds(answer));
        Assert.DoesNotContain(await AlexLedgerAsync(), r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal));

        var value = ButtonValue(answer, "credit-question");
        var ts = answer.Answer.GetProperty("ts").GetString()!;
        using (await InteractionAsync(bot, Click(Alex, "credit-question", value, Dm(Alex), ts))) { }
        var receipt = await slack.WaitForAsync("chat.update", c => c.Everything.Contains("Credit applied"));
        using (await InteractionAsync(bot, Click(Alex, "credit-question", value, Dm(Alex), ts))) { }
        await slack.WaitForAsync("chat.update", c => c.Everything.Contains("Credit applied"), skip: 1);

        Assert.Equal((Dm(Alex), ts), (receipt.Str("channel"), receipt.Str("ts")));
        Assert.Contains("$40.00", receipt.Everything);
        Assert.Single(await AlexLedgerAsync(), r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal));
    }
}
