using EmpowerBot.Conversation;
using EmpowerBot.Policy;

namespace EmpowerBot.Budget;

/// <summary>
/// "credit $25 to ACME-1042 for late delivery": the rep solves the customer's problem in one message. Within policy
/// and budget it is applied at once; a non-negotiable rule refuses it with the reason; a true exception is recorded
/// as waiting for approval. Anything missing or ambiguous comes back as a prefilled form.
/// </summary>
public sealed class CreditCommand(CreditLedger ledger, Ledger reader, CustomerCompletions completions, CreditHandoff handoff,
    IExceptionRequests exceptions, OrganizationSync organization, TimeProvider clock)
    : ICommand
{
    public CommandInfo Info { get; } = new("credit", "credit $25 to ACME-1042 for late delivery",
        "Give a customer a credit from your budget: applied at once when it fits the team's policy", "Credits");

    public bool Recognizes(string text) => CreditParser.Recognizes(text) || text == CreditForm.SubmitCommand;

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        // Money moves on the organisation as stored now, not on a snapshot another instance has made stale: someone on
        // no team looks first (they may just have been placed in one); for everyone else the look travels with the
        // credit's first reads (ApplyAsync), and a change seen there decides the credit again on the new organisation.
        if (context.Person.Team is null) context = context with { Person = await organization.CurrentAsync(context.Person, ct) };
        try
        {
            return await DecideAsync(context, ct);
        }
        catch (OrganizationChangedException)
        {
            return await DecideAsync(context with { Person = organization.Refreshed(context.Person) }, ct);
        }
    }

    private async Task<TurnResult> DecideAsync(TurnContext context, CancellationToken ct)
    {
        var (turn, person) = context;
        if (person.Team is not { } team)
        {
            return TurnResult.Of(Reply.Say("You are not on a team with a discretionary budget yet. Ask your manager to add you to the EmpowerBot roster."));
        }
        var policy = team.Policy;
        var submitted = CreditForm.IsSubmission(turn.FormData);
        var parsed = submitted
            ? CreditForm.Read(turn.FormData!.Value, team.Currency, policy.Reasons)
            : CreditParser.Parse(turn.Text, team.Currency, policy.Reasons, policy.ForbiddenReasons);
        var problems = parsed.Problems.ToList();
        // A reason outside the team's list is a question, not a refusal, unless the policy forbids it outright.
        if (parsed.Reason is null && parsed.ReasonText is { } text && policy.ForbiddenReasonIn(text) is null && problems.Count == 0)
        {
            problems.Add($"'{TextCut.Shorten(text, 40)}' is not one of the team's credit reasons; pick one from the list.");
        }
        if (problems.Count > 0 || parsed.Amount is null || parsed.Customer is null)
        {
            var status = await reader.GetStatusAsync(person, team, ct);
            // A bare "credit" (or the budget card's button) opens an empty form without scolding.
            var bare = !submitted && CommandText.Normalize(turn.Text) is "credit" or "refund" or "give" or "apply";
            return TurnResult.Of(CreditForm.Card(parsed, team, status.Remaining, bare ? [] : problems));
        }
        return TurnResult.Of(await ApplyAsync(context, team, parsed.Amount.Value, parsed.Customer, parsed.Reason, parsed.ReasonText, ct));
    }

    private async Task<Reply> ApplyAsync(TurnContext context, Team team, Money amount, string customer, ReasonDefinition? reason, string? reasonText, CancellationToken ct)
    {
        var (turn, person) = context;
        var policy = team.Policy;
        // One clock read per credit: the ledger's month, the billing intent's and the customer's history agree.
        var moment = CreditMoment.Now(clock, team.TimeZone);
        var now = moment.At;
        var key = turn.IdempotencyKey ?? Guid.NewGuid().ToString("N");
        var partition = LedgerRows.Partition(person.TenantId, person.Key, moment.Period);
        // The billing intent must be durable before the ledger's first write; it travels with the first reads, in parallel.
        var reservation = new CustomerReservation(person.TenantId, person.Key, customer, now, moment.Uid, partition, key, team.Currency.Code);
        var prepared = Task.WhenAll(
            handoff.IntendAsync(new CreditHandoffIntent(partition, team.Currency.Code, CreditHandoff.Applied, key, null), ct),
            organization.ConfirmCurrentAsync(ct));

        var draft = new CreditDraft(key, amount, customer, reason?.Name ?? Capitalize(reasonText ?? ""));
        var count = new CustomerCount(policy.RepeatWindow is { } window ? now - window : now);
        var recorded = await ledger.RecordAsync(person, team, draft, moment, count, (remaining, earlier) =>
            Verdict(policy.Decide(new CreditCheck(amount, reason, reasonText, customer, remaining, earlier))), prepared, ct);

        var credit = recorded.Credit;
        if (!recorded.Replayed) completions.Post(reservation, credit, recorded.ReservationETag);
        return credit.Status switch
        {
            CreditStatus.Applied or CreditStatus.Voided => CreditReplies.Receipt(credit, person.ReadingZone, policy.UndoWindow, handoff.Enabled, now),
            CreditStatus.Refused => CreditReplies.Refused(credit),
            // Asked again on a redelivery too: the request is idempotent, and this way a crash before it was made is repaired.
            CreditStatus.PendingApproval => await exceptions.RequestAsync(person, team, credit, ManagerWords(reason, reasonText), ct),
            _ => CreditReplies.Settled(credit),
        };
    }

    private static CreditVerdict Verdict(CreditDecision decision) => new(
        decision.Outcome switch
        {
            CreditOutcome.Applied => CreditStatus.Applied,
            CreditOutcome.Refused => CreditStatus.Refused,
            _ => CreditStatus.PendingApproval,
        },
        decision.Rule.Id,
        decision.Sentence,
        decision.WhatToDo);

    /// <summary>The rep's reason for a manager's eyes, as typed; none when it only names the reason ("late delivery").</summary>
    private static string? ManagerWords(ReasonDefinition? reason, string? text)
    {
        var words = text?.Trim();
        if (string.IsNullOrEmpty(words)) return null;
        bool Same(string phrase) => string.Equals(phrase, words, StringComparison.OrdinalIgnoreCase);
        return reason is not null && (Same(reason.Name) || reason.Aliases.Any(Same)) ? null : words;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
