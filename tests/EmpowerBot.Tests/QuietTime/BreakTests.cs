using EmpowerBot.Conversation;
using EmpowerBot.QuietTime;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>Breaks on demand, ending early, and focus mode: the bot's own non-urgent messages wait for the break to end.</summary>
public sealed class BreakTests : IAsyncLifetime
{
    private QuietBot q = null!;

    public async Task InitializeAsync() => q = await QuietBot.StartAsync(reps: 3);

    public async Task DisposeAsync() => await q.DisposeAsync();

    [Fact]
    public async Task Break_starts_the_team_s_usual_ten_minutes_and_says_when_it_ends()
    {
        var reply = await q.SayAsync(0, "break");

        Assert.Contains("Your 10-minute quiet break has started. It ends at 10:10 AM", reply);
        Assert.Contains("\"verb\":\"break.end\"", reply);
        var rows = await q.Bot.RowsAsync(Tables.QuietTime, $"{Activities.Tenant}|{QuietBot.Key(0)}");
        Assert.Equal(["break|" + QuietBot.MondayTenAm.UtcTicks.ToString("D19"), "state"], rows.Select(r => r.RowKey));
        Assert.Equal(1, await q.OnBreakAsync());
    }

    [Theory]
    [InlineData("break 15", "15-minute", "10:15 AM")]
    [InlineData("take a break for 5 minutes", "5-minute", "10:05 AM")]
    [InlineData("quiet break 30 min", "30-minute", "10:30 AM")]
    public async Task A_break_of_five_to_thirty_minutes_can_be_asked_for(string text, string length, string ends)
    {
        var reply = await q.SayAsync(0, text);

        Assert.Contains($"Your {length} quiet break has started. It ends at {ends}", reply);
    }

    [Theory]
    [InlineData("break 4")]
    [InlineData("break 31")]
    [InlineData("break 0")]
    [InlineData("break 600")]
    public async Task A_break_outside_five_to_thirty_minutes_is_refused_and_nothing_starts(string text)
    {
        Assert.Contains("A quiet break lasts 5 to 30 minutes", await q.SayAsync(0, text));

        Assert.Null((await q.StateAsync(0)).BreakId);
        Assert.Equal(0, await q.OnBreakAsync());
    }

    [Fact]
    public async Task Asking_again_during_a_break_keeps_the_one_running()
    {
        await q.SayAsync(0, "break");

        Assert.Contains("already on a quiet break until 10:10 AM", await q.SayAsync(0, "break 20"));
        Assert.Equal(1, await q.OnBreakAsync());
    }

    [Fact]
    public async Task Back_ends_the_break_early_frees_the_slot_and_sends_no_welcome_back()
    {
        await q.SayAsync(0, "break");
        await q.AdvanceAsync(TimeSpan.FromMinutes(4));

        Assert.Contains("Welcome back! Your break is over", await q.SayAsync(0, "back"));
        Assert.Equal(0, await q.OnBreakAsync());
        Assert.Contains("not on a break", await q.ClickAsync(0, "break.end"));
        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        await q.SettledAsync();
        await q.AssertNothingSentAsync(0);
    }

    [Fact]
    public async Task Focus_mode_holds_a_non_urgent_message_until_the_break_ends_while_an_urgent_one_goes_through()
    {
        await q.SayAsync(0, "break");
        var notifier = q.Get<Notifier>();

        await notifier.SendAsync("fyi-1", Notification.Of(Activities.Tenant, QuietBot.Key(0), Reply.Say("FYI: your credit C-7F3K was billed")), default);
        await notifier.SendAsync("urgent-1", Notification.Of(Activities.Tenant, QuietBot.Key(0), Reply.Say("URGENT: approve a credit for Priya"), urgent: true), default);

        await q.WaitForAsync(0, "URGENT");
        await q.SettledAsync();
        Assert.DoesNotContain(q.SentTo(0), m => m.Contains("FYI", StringComparison.Ordinal));

        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        await q.WaitForAsync(0, "Welcome back, Alex!");
        Assert.DoesNotContain(q.SentTo(0), m => m.Contains("FYI", StringComparison.Ordinal));
        await q.AdvanceAsync(FocusGate.AfterWelcome);
        await q.WaitForAsync(0, "FYI");
        Assert.Equal(["URGENT", "Welcome back", "FYI"], q.SentTo(0).Select(m => m.Contains("URGENT") ? "URGENT" : m.Contains("FYI") ? "FYI" : "Welcome back"));
    }

    [Fact]
    public async Task A_message_held_during_a_break_ended_early_arrives_within_a_minute_of_back_not_at_the_planned_end()
    {
        await q.SayAsync(0, "break 30");
        await q.Get<Notifier>().SendAsync("fyi-2", Notification.Of(Activities.Tenant, QuietBot.Key(0), Reply.Say("FYI: your credit C-7F3K was billed")), default);
        await q.AdvanceAsync(TimeSpan.FromMinutes(4));
        await q.SettledAsync();
        Assert.DoesNotContain(q.SentTo(0), m => m.Contains("FYI", StringComparison.Ordinal));

        await q.SayAsync(0, "back");
        await q.AdvanceAsync(FocusGate.Recheck + FocusGate.AfterWelcome);

        await q.WaitForAsync(0, "FYI");
    }

    [Fact]
    public async Task A_redelivered_break_end_frees_one_slot_and_welcomes_once()
    {
        await q.SayAsync(1, "break");
        var started = await q.StateAsync(1);
        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        await q.WaitForAsync(1, "Welcome back");
        await q.SettledAsync();

        var end = new BreakEnd(Activities.Tenant, QuietBot.Key(1), "demo", started.BreakId!, started.BreakStart!.Value, started.BreakUntil!.Value, 10, "Priya", "10:10 AM");
        Assert.False(await q.Get<Breaks>().EndAsync(end, early: false, default));
        await q.SettledAsync();

        Assert.Single(q.SentTo(1));
        Assert.Equal(0, await q.OnBreakAsync());
    }

    [Fact]
    public async Task Turns_and_signals_during_a_break_do_not_count_as_work()
    {
        await q.SayAsync(0, "help");
        await q.SayAsync(0, "break 30");
        var before = await q.StateAsync(0);
        await q.AdvanceAsync(TimeSpan.FromMinutes(5));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 25));
        await q.SayAsync(0, "budget");

        var state = await q.StateAsync(0);
        Assert.Equal((0, before.LastActive), (state.Handled, state.LastActive));
        await q.AssertNothingSentAsync(0);
    }
}
