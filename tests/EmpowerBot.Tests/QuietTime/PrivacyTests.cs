using System.Collections.Concurrent;
using System.Text.Json;
using EmpowerBot.QuietTime;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>
/// Invariant 6, humane by design: a manager sees team totals of breaks, never a person's break log — not in a reply,
/// a card, a proactive message or a log line at Information.
/// </summary>
public sealed class PrivacyTests
{
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lines.Enqueue((category, logLevel, formatter(state, exception)));
            }
        }
    }

    private static readonly List<string> ManagerQuestions =
        ["team breaks", "break history", "breaks", "break stats", "team break stats", "who is on a break", "history", "help", "break log"];

    /// <summary>Everything that could point at one rep's breaks: who they are and when their breaks ran.</summary>
    private static IEnumerable<string> Identifying(int reps, IEnumerable<string> breakTimes) =>
        Enumerable.Range(0, reps)
            .SelectMany(rep => QuietBot.Names[rep].Split(' ').Append(QuietBot.Email(rep)).Append(QuietBot.Aad(rep)))
            .Concat(breakTimes);

    [Fact]
    public async Task A_manager_sees_team_totals_and_nothing_about_any_one_rep_s_breaks()
    {
        var logs = new CapturedLogs();
        await using var q = await QuietBot.StartAsync(reps: 7, services: s => s.AddSingleton<ILoggerProvider>(logs)); // two may be away at once
        var times = new List<string>();
        for (var rep = 0; rep < 7; rep++) await q.SayAsync(rep, "help");

        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 20));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 2, 20));
        await q.WaitForAsync(0, QuietBot.Offer);
        await q.WaitForAsync(2, QuietBot.Offer);
        times.Add(Ends(await q.ClickAsync(0, "break.start", new { minutes = 10 })));
        await q.ClickAsync(2, "break.snooze");
        await q.AdvanceAsync(TimeSpan.FromMinutes(3));
        times.Add(Ends(await q.SayAsync(1, "break 15")));
        await q.AdvanceAsync(TimeSpan.FromMinutes(7)); // 10:10: Alex is back…
        await q.WaitForAsync(0, "Welcome back");
        await q.AdvanceAsync(TimeSpan.FromMinutes(5)); // …before the snoozed offer comes back at 10:15
        await q.WaitForAsync(2, QuietBot.Offer, count: 2);

        var seen = new List<string>();
        foreach (var question in ManagerQuestions) seen.Add(await q.ManagerSaysAsync(question));
        await q.SettledAsync();
        seen.AddRange(q.SentToConversation(Activities.MeganAad));

        var everything = string.Join("\n", seen);
        Assert.Contains("Quiet-time breaks in Frontline Demo, Nov 17–Nov 23: 2 breaks taken; 1 of 3 suggested breaks accepted (33%).", everything);
        Assert.All(Identifying(7, times), secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
        Assert.Contains("team breaks", seen[ManagerQuestions.IndexOf("help")]);
        Assert.DoesNotContain("team breaks", await q.SayAsync(0, "help"));

        // What the bot logs at Information or above names no rep, and its quiet-time part says no more than "a break in team demo".
        Assert.All(logs.Lines, line => Assert.All(Identifying(7, times).Where(s => !s.Contains('-')), secret =>
            Assert.DoesNotContain(secret, line.Message, StringComparison.Ordinal)));
        Assert.All(logs.Lines.Where(l => l.Category.StartsWith("EmpowerBot.QuietTime", StringComparison.Ordinal)), line =>
            Assert.All(Enumerable.Range(0, 7).Select(QuietBot.Aad), aad => Assert.DoesNotContain(aad, line.Message)));
        Assert.Contains(logs.Lines, l => l.Message == "Quiet break started in team demo");
    }

    [Fact]
    public async Task A_team_too_small_to_hide_anyone_gets_no_figures_at_all()
    {
        await using var q = await QuietBot.StartAsync(reps: 2);
        await q.SayAsync(1, "break");

        var answer = await q.ManagerSaysAsync("team breaks");

        Assert.Contains("too few to show", answer);
        Assert.DoesNotMatch("[0-9]+ breaks? taken", answer);
    }

    [Fact]
    public async Task Team_figures_carry_counts_only()
    {
        await using var q = await QuietBot.StartAsync(reps: 4);
        await q.SayAsync(3, "break");
        var team = q.Get<EmpowerBot.Conversation.Roster>().FindTeam(Activities.Tenant, "demo")!;

        var figures = await q.Get<QuietTimeInsights>().ForTeamAsync(Activities.Tenant, team, new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 23), default);

        Assert.Equal((false, 1, 0, 0), (figures.TooFewToShow, figures.BreaksTaken, figures.PromptsSent, figures.PromptsAccepted));
        Assert.Equal(["TeamName", "From", "To", "TooFewToShow", "BreaksTaken", "PromptsSent", "PromptsAccepted", "AcceptedPercent"],
            typeof(TeamBreakFigures).GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract"));
        Assert.All(Identifying(4, []), secret => Assert.DoesNotContain(secret, JsonSerializer.Serialize(figures), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rep_asking_for_team_figures_is_told_they_are_for_managers()
    {
        await using var q = await QuietBot.StartAsync(reps: 4);

        Assert.Contains("Team break totals are for managers", await q.SayAsync(0, "team breaks"));
    }

    private static string Ends(string startedCard) =>
        System.Text.RegularExpressions.Regex.Match(startedCard, "ends at ([0-9]{1,2}:[0-9]{2} [AP]M)").Groups[1].Value is { Length: > 0 } time
            ? time
            : System.Text.RegularExpressions.Regex.Match(startedCard, "\"([0-9]{1,2}:[0-9]{2} [AP]M)[ \"]").Groups[1].Value;
}
