using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.QuietTime;

/// <summary>What the quiet-time commands and buttons answer, in one place.</summary>
internal static class BreakAnswers
{
    public const string NoTeam = "Quiet-time breaks are for people on a team roster. Ask your manager to add you to EmpowerBot.";
    public const string BackEarly = "Welcome back! Your break is over and your slot is free for a teammate.";
    public const string NotOnBreak = "You're not on a break right now. Type **break** whenever you want one.";

    /// <summary>Starts a break; the card to show when it started, else the sentence that says why not.</summary>
    public static async Task<(CardReply? Card, string Text)> StartAsync(Breaks breaks, Prompter prompter, Person person, Team team, int minutes,
        bool fromPrompt, CancellationToken ct)
    {
        switch (await breaks.StartAsync(person, minutes, fromPrompt, ct))
        {
            case BreakOutcome.Started started:
                var card = BreakCards.Started(started.Break);
                return (card, card.Summary);
            case BreakOutcome.AlreadyOnBreak already:
                var until = ZonedTime.Time(already.Until, person.ReadingZone);
                // A prompt's Start clicked again (or on a second device) shows the break that is running, in place of the prompt.
                return (fromPrompt ? BreakCards.Running(until) : null, $"You're already on a quiet break until {until}. Type **back** if you return early.");
            case BreakOutcome.TeamFull full:
                await prompter.QueueAsync(person, team, full.Coverage, ct);
                return (null, BreakCards.YoureNext(null, full.Coverage));
            default:
                return (null, NoTeam);
        }
    }
}

/// <summary>"Start break" on a prompt card.</summary>
public sealed class StartBreakAction(Breaks breaks, Prompter prompter, PromptPolicies policies) : ICardActionHandler
{
    public string Verb => "break.start";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        if (context.Person.Team is not { } team) return Answer(BreakAnswers.NoTeam);
        // The card says how long; anything else (an old card, a forged one) gets the team's usual length.
        var minutes = action.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("minutes", out var m)
            && m.TryGetInt32(out var asked) && asked is >= BreakLength.Min and <= BreakLength.Max
            ? asked
            : policies.For(team).BreakMinutes;
        var (card, text) = await BreakAnswers.StartAsync(breaks, prompter, context.Person, team, minutes, fromPrompt: true, ct);
        return card is null ? Answer(text) : new TurnResult([], CardActionResult.Updated(card));
    }

    internal static TurnResult Answer(string text) => new([], CardActionResult.Notice(text));
}

/// <summary>"In 15 min" on a prompt card.</summary>
public sealed class SnoozeBreakAction(Prompter prompter) : ICardActionHandler
{
    public string Verb => "break.snooze";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        if (context.Person.Team is not { } team) return StartBreakAction.Answer(BreakAnswers.NoTeam);
        var until = await prompter.SnoozeAsync(context.Person, team, ct);
        return StartBreakAction.Answer($"OK, I'll offer it again at {ZonedTime.Time(until, context.Person.ReadingZone)}.");
    }
}

/// <summary>"Not today" on a prompt card.</summary>
public sealed class DeclineBreakAction(Prompter prompter) : ICardActionHandler
{
    public string Verb => "break.decline";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        if (context.Person.Team is not { } team) return StartBreakAction.Answer(BreakAnswers.NoTeam);
        await prompter.DeclineAsync(context.Person, team, ct);
        return StartBreakAction.Answer("No problem. I won't suggest another break today. Type **break** whenever you want one.");
    }
}

/// <summary>"I'm back early" on the break-started card.</summary>
public sealed class EndBreakAction(Breaks breaks) : ICardActionHandler
{
    public string Verb => "break.end";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct) =>
        StartBreakAction.Answer(await breaks.EndEarlyAsync(context.Person, ct) ? BreakAnswers.BackEarly : BreakAnswers.NotOnBreak);
}
