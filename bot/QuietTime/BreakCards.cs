using EmpowerBot.Conversation;

namespace EmpowerBot.QuietTime;

/// <summary>View model of cards/break-prompt.json: why a break is offered, and the three answers.</summary>
public sealed record BreakPromptCard(string Title, string Reason, string Question, int Minutes, int SnoozeMinutes, string Privacy);

/// <summary>View model of cards/break-started.json.</summary>
public sealed record BreakStartedCard(string Title, string EndsAt, string Note);

/// <summary>View model of cards/welcome-back.json.</summary>
public sealed record WelcomeBackCard(string Title, string Text);

/// <summary>The quiet-time cards, built in one place so the commands, card actions and scheduled messages say the same.</summary>
public static class BreakCards
{
    public const string Privacy = "Only you see this. Your manager sees team totals, never your breaks.";

    public static Reply Prompt(string reason, QuietTimeOptions o)
    {
        var question = $"Take a {o.BreakMinutes}-minute quiet break?";
        var card = new BreakPromptCard("Time for a quiet break?", reason, question, o.BreakMinutes, o.SnoozeMinutes, Privacy);
        return Reply.Show("break-prompt", card, $"{reason} {question}");
    }

    public const string SlotFree = "Thanks for waiting: a teammate is back, so there's room for your break now.";

    /// <summary>The team is at its break limit: the person is next in line. <paramref name="reason"/> says why a break was due, if it was offered.</summary>
    public static string YoureNext(string? reason, CoverageStatus full) =>
        (reason is null ? "" : reason + " You've earned a break, but ")
        + $"{full.OnBreak} of your team's {full.TeamSize} reps are on a break right now and the queue needs cover. "
        + "You're next: I'll offer you one as soon as someone is back.";

    public static CardReply Started(BreakEnd b) => new(
        "break-started",
        new BreakStartedCard(
            $"Your {b.Minutes}-minute quiet break has started",
            b.EndsAt,
            "I'll hold my non-urgent messages until then; urgent ones, like approvals, still reach you. Step away from the screen if you can."),
        $"Your {b.Minutes}-minute quiet break has started. It ends at {b.EndsAt}; I'll hold my non-urgent messages until then.");

    /// <summary>The break that is already running, for a Start button pressed after it began.</summary>
    public static CardReply Running(string endsAt) => new(
        "break-started",
        new BreakStartedCard("Your quiet break has started", endsAt,
            "I'll hold my non-urgent messages until then; urgent ones, like approvals, still reach you. Type **back** if you return early."),
        $"You're on a quiet break until {endsAt}. Type **back** if you return early.");

    public static Reply WelcomeBack(BreakEnd b)
    {
        var title = b.FirstName.Length == 0 ? "Welcome back!" : $"Welcome back, {b.FirstName}!";
        var text = $"Your quiet break ended at {b.EndsAt}. Anything I held back comes next.";
        return Reply.Show("welcome-back", new WelcomeBackCard(title, text), $"{title} {text}");
    }
}
