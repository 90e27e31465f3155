using EmpowerBot.Conversation;
using EmpowerBot.Policy;

namespace EmpowerBot.Budget;

/// <summary>
/// "can I give ACME-9 $40 for a missing item?": what the policy would decide on the credit, in plain words, with the
/// button that does it (Apply, or Ask the manager). Nothing is applied, reserved or sent to a manager until the click,
/// which submits the credit like the credit form does: the policy decides again then, on the figures of that moment.
/// </summary>
public sealed class AskCommand(Ledger reader, CustomerIndex customers, IExceptionRequests exceptions, TimeProvider clock) : ICommand
{
    private const string Prefix = CreditQuestion.Head + " ";

    public CommandInfo Info { get; } = new(CreditQuestion.Head, "can I give ACME-1042 $40 for a missing item?",
        "Ask what the policy would say about a credit; nothing is applied until you click Apply", "Credits", InMenu: false);

    public bool Recognizes(string text) => text.StartsWith(Prefix, StringComparison.Ordinal) && CreditParser.Recognizes(text[Prefix.Length..]);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var (turn, person) = context;
        if (person.Team is not { } team)
        {
            return TurnResult.Of(Reply.Say("You are not on a team with a discretionary budget yet. Ask your manager to add you to the EmpowerBot roster."));
        }
        var policy = team.Policy;
        var text = turn.Text ?? "";
        var credit = text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? text[Prefix.Length..] : text;
        var parsed = CreditParser.Parse(credit, team.Currency, policy.Reasons, policy.ForbiddenReasons);
        var status = await reader.GetStatusAsync(person, team, ct);
        // A question may leave the reason out: the policy can still answer, and the rep picks one when applying.
        var missing = parsed.Problems.Where(p => p != CreditParser.NoReason).ToList();
        if (missing.Count > 0 || parsed.Amount is not { } amount || parsed.Customer is not { } customer)
        {
            var form = CreditForm.Card(parsed, team, status.Remaining, missing);
            return TurnResult.Of(form with { Text = "Nothing was applied. To tell you what the policy would say, I need a little more: " + string.Join(" ", missing) });
        }
        var earlier = policy.RepeatWindow is { } window
            ? await customers.CountSinceAsync(person.TenantId, customer, clock.GetUtcNow() - window, ct)
            : 0;
        var decision = policy.Decide(new CreditCheck(amount, parsed.Reason, parsed.ReasonText, customer, status.Remaining, earlier));
        return TurnResult.Of(CreditAnswer.For(parsed with { Amount = amount, Customer = customer }, decision, team, exceptions.ApproverNames(person, amount)));
    }
}
