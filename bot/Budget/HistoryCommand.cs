using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>"history": the rep's own credits this month, newest first, with status and reference; those still within the undo window carry Undo.</summary>
public sealed partial class HistoryCommand(Ledger ledger, TimeProvider clock) : ICommand
{
    private static readonly HashSet<string> Phrases = ["history", "my credits", "credits", "credit history", "my history", "show my credits", "hist", "credit log", "credits log", "credit list"];

    public CommandInfo Info { get; } = new("history", "history", "Your credits this month, with their status and reference", "Credits");

    public bool Recognizes(string text) => Phrases.Contains(text) || Asked().IsMatch(text);

    /// <summary>"what did I credit this month", "show my recent credits", "which refunds have I given".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?!.*\d)(?!.*\b(?:rules|policy|limits?)\b)(?:(?:hey|so|ok|okay),? )?(?:(?:the |my )?(?:credits|refunds) (?:i|i've|ive|i have) (?:gave|given|made|issued|did|done|applied)\b.*|(?:show|list|see|view|pull up|what are|what were|which|my|recent|past|last|all)\b.*\b(?:credits|history|refunds|credit list|refund list)\b.*|(?:show|list|tell)(?: me)? what i (?:gave|gave out|credited|refunded|handed out|did)\b.*|what (?:credits |refunds )?(?:did|have) i (?:give|given|credit|credited|refund|refunded|hand out|handed out)\b.*|(?:who|which customers) (?:did|have) i (?:give|given|credit|credited|refund|refunded)\b.*|how many (?:credits|refunds)\b.*)$")]
    private static partial System.Text.RegularExpressions.Regex Asked();

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        if (context.Person.Team is not { } team)
        {
            return TurnResult.Of(Reply.Say("You are not on a team with a discretionary budget yet, so there is no credit history to show."));
        }
        var status = await ledger.GetStatusAsync(context.Person, team, ct);
        var now = clock.GetUtcNow();
        var window = team.Policy.UndoWindow;
        var zone = context.Person.ReadingZone;
        var credits = status.Credits.Where(c => c.Status != CreditStatus.Refused).Select(c => new HistoryLine(
            c.Ref,
            c.Amount.ToString(),
            c.Customer,
            c.Reason,
            ZonedTime.DayAndTime(c.CreatedAt, zone),
            StatusLabel(c),
            // The same button as the receipt's (the credit's reference is its key), so either one undoes once.
            CreditUndo.CanUndo(c, now, window),
            ZonedTime.Time(c.CreatedAt + window, zone),
            c.Ref)).ToList();
        var card = new HistoryCard(status.Period.Label, status.Balance.Spent.ToString(), status.Remaining.ToString(), credits.Count > 0, credits,
            "No credits yet this month.");
        return TurnResult.Of(Reply.Show("credit-history", card, $"{credits.Count} credits in {status.Period.Label}; {status.Remaining} left."));
    }

    public static string StatusLabel(Credit c) => StatusLabel(c.Status, c.Exception, c.Decision);

    /// <summary>A credit's status in a rep's or a manager's words; <paramref name="decision"/>, when given, stands for "Declined".</summary>
    public static string StatusLabel(CreditStatus status, bool exception, string? decision = null) => status switch
    {
        CreditStatus.Declined when decision is { Length: > 0 } => decision,
        CreditStatus.Applied when exception => "Approved exception",
        CreditStatus.Applied => "Applied",
        CreditStatus.Voided => "Undone",
        CreditStatus.PendingApproval => "Waiting for approval",
        CreditStatus.Declined => "Declined",
        CreditStatus.Expired => "Expired",
        CreditStatus.Withdrawn => "Withdrawn",
        _ => status.ToString(),
    };
}

/// <summary>View model of cards/credit-history.json.</summary>
public sealed record HistoryCard(string PeriodLabel, string Spent, string Remaining, bool HasCredits, IReadOnlyList<HistoryLine> Credits, string EmptyMessage);

public sealed record HistoryLine(string Reference, string Amount, string Customer, string Reason, string When, string Status,
    bool CanUndo = false, string UndoUntil = "", string Op = "");
