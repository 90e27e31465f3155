using System.Globalization;
using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>"budget": the rep's remaining discretionary budget, what they spent and their last credits.</summary>
public sealed partial class BudgetCommand(Ledger ledger, TimeProvider clock) : ICommand
{
    private static readonly HashSet<string> Phrases =
    [
        "budget", "balance", "bal", "budget left", "my bal", "how much have i got", "what have i got", "what do i have", "what have i got left",
        "what's my spend", "whats my spend", "my spend", "my spending", "spend so far", "what's my spend so far", "whats my spend so far", "my budget", "my balance", "remaining", "what's left", "whats left", "what is left",
        "how much do i have", "how much do i have left", "how much have i got left", "how much is left", "how much left",
        "show my budget", "show budget", "check budget", "budget left",
    ];

    public CommandInfo Info { get; } = new("budget", "budget", "Your remaining budget this month and your last credits", "Your budget");

    public bool Recognizes(string text) => Phrases.Contains(text) || Asked().IsMatch(text);

    /// <summary>Questions about what is left ("got any budget left for me", "how much more can I spend"), never about a credit or the rules.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?!.*\d)(?!.*\b(?:credits?|history|break|breaks|requests?|approv\w*|obstacles?|ideas?|kudos|policy|rules|limits?|cap|allowed|asking|without|own|myself)\b)(?:(?:hey|so|ok|okay|um|and|quick question),? )?(?:(?:what|what's|whats|how much|how|got|have i got|do i have|do i still have|am i|are we|do we|is my|is there|any|anything|check|show|see|tell me|can you tell me|remaining|my|budget|balance)\b.*\b(?:budget|balance|left|spend|spent|remaining|afford|allowance|(?:can|could) i (?:still )?(?:give|hand out))\b|(?:budget|balance)\b.*)")]
    private static partial System.Text.RegularExpressions.Regex Asked();

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        if (person.Team is null)
        {
            return TurnResult.Of(Reply.Say("You are not on a team with a discretionary budget yet. Ask your manager to add you to the EmpowerBot roster."));
        }
        var status = await ledger.GetStatusAsync(person, person.Team, ct);
        var card = BudgetCard.From(status, clock.GetUtcNow());
        if (!person.HasBudget)
        {
            // A manager, or someone the roster gives nothing: no "$0.00 left — no approval needed".
            var none = Reply.Say(person.IsManager
                ? $"You have no budget of your own, {context.Turn.FirstName}: a credit you give is asked of another approver. Your reps each have {person.Team.MonthlyBudget} a month."
                : $"You have no budget of your own this month, {context.Turn.FirstName}: a credit you give is asked of a manager.");
            return status.Credits.Count == 0 ? TurnResult.Of(none) : new TurnResult([none, Reply.Show("budget", card, $"Your credits in {card.PeriodLabel}.")]);
        }
        return TurnResult.Of(Reply.Show("budget", card, $"You have {card.Remaining} left of {card.Budget} for {card.PeriodLabel}."));
    }
}

/// <summary>View model of cards/budget.json.</summary>
public sealed record BudgetCard(
    string PersonName,
    string TeamName,
    string Remaining,
    string Spent,
    string Budget,
    string ExceptionsApproved,
    int PercentUsed,
    string PeriodLabel,
    string PeriodEnds,
    int DaysLeft,
    bool HasCredits,
    IReadOnlyList<BudgetCardCredit> Credits,
    string EmptyMessage)
{
    public const int ShownCredits = 5;

    public static BudgetCard From(BudgetStatus s, DateTimeOffset now)
    {
        var budget = s.Budget.Minor;
        var percent = budget <= 0 ? 0 : (int)Math.Min(100, Math.Round(s.Balance.Spent.Minor * 100m / budget, MidpointRounding.AwayFromZero));
        var remaining = s.Remaining.Minor < 0 ? Money.Zero(s.Team.Currency) : s.Remaining;
        var credits = s.Credits.Where(c => c.Status != CreditStatus.Refused).Take(ShownCredits).Select(c => new BudgetCardCredit(
            c.Ref,
            c.Amount.ToString(),
            c.Customer,
            c.Reason,
            TimeZoneInfo.ConvertTime(c.CreatedAt, s.Person.ReadingZone).ToString("MMM d", CultureInfo.InvariantCulture),
            HistoryCommand.StatusLabel(c.Status, c.Exception))).ToList();
        return new BudgetCard(
            s.Person.Name,
            s.Team.Name,
            remaining.ToString(),
            s.Balance.Spent.ToString(),
            s.Budget.ToString(),
            s.Balance.Exceptions.ToString(),
            percent,
            s.Period.Label,
            s.Period.LastDay.ToString("ddd, MMM d, yyyy", CultureInfo.InvariantCulture),
            s.Period.DaysLeft(now),
            credits.Count > 0,
            credits,
            "No credits yet this month — your full budget is ready when a customer needs it.");
    }

}

public sealed record BudgetCardCredit(string Reference, string Amount, string Customer, string Reason, string When, string Status);
