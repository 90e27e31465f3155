using System.Text.Json;
using EmpowerBot.Storage;

namespace EmpowerBot.Approvals;

public enum ApprovalStatus { Pending, Approved, Declined, Expired, Withdrawn }

/// <summary>
/// A credit that needs a manager: who asked, for what, which rule made it an exception, who may decide, and —
/// once decided — by whom, when and with what comment — and whether that outcome was settled. Stored in the approvals
/// table under the tenant; the card's copies have rows of their own (<see cref="CardCopyStore"/>).
/// </summary>
/// <param name="Settled">True once the decision's settlement has run; null on rows older than this flag.</param>
/// <param name="Cards">Copies kept on the row by earlier versions; new copies get rows of their own. Read, never added to.</param>
/// <param name="Note">The rep's own words for the manager, as typed: the credit's reason, or a note added afterwards.</param>
/// <param name="NudgedAt">When the rep last nudged the approvers; a nudge is due again <see cref="ApprovalOptions.NudgeAfter"/> later.</param>
/// <param name="RuleWords">Why it needs a manager, in plain words about the rep ("over Alex's remaining budget: $30.00 left"), fixed when asked.</param>
/// <param name="Indexed">True while the request has its rows in the pending index (<see cref="PendingIndex"/>).</param>
/// <param name="PassedUpByName">Who last passed the request up to the next approval level, and when.</param>
/// <param name="Unreachable">Closed because no approver could be reached at all (see <see cref="ApprovalCardCopies"/>).</param>
public sealed record ApprovalRequest(
    string Id,
    string TenantId,
    string RequesterKey,
    string RequesterName,
    string TeamId,
    string LedgerPartition,
    string CreditRef,
    long AmountMinor,
    string Currency,
    string Customer,
    string Reason,
    string Rule,
    string RuleSentence,
    IReadOnlyList<string> Approvers,
    ApprovalStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? DecidedBy = null,
    string? DecidedByName = null,
    DateTimeOffset? DecidedAt = null,
    string? Comment = null,
    IReadOnlyList<CardCopy>? Cards = null,
    bool Notified = false,
    string? ETag = null,
    bool? Settled = false,
    string? Note = null,
    string? RuleWords = null,
    DateTimeOffset? NudgedAt = null,
    bool Indexed = false,
    string? PassedUpByName = null,
    DateTimeOffset? PassedUpAt = null,
    bool Unreachable = false)
{
    public bool IsPending => Status == ApprovalStatus.Pending;

    /// <summary>What the figures count of this request.</summary>
    public ApprovalOutcome Outcome => new(Id, RequesterKey, TeamId, Status, CreatedAt, DecidedAt);

    public IReadOnlyList<CardCopy> CardCopies => Cards ?? [];

    public TableEntity ToEntity()
    {
        var p = new Dictionary<string, object?>
        {
            ["requester"] = RequesterKey,
            ["requesterName"] = RequesterName,
            ["team"] = TeamId,
            ["ledgerPartition"] = LedgerPartition,
            ["creditRef"] = CreditRef,
            ["amount"] = AmountMinor,
            ["currency"] = Currency,
            ["customer"] = Customer,
            ["reason"] = Reason,
            ["rule"] = Rule,
            ["ruleSentence"] = RuleSentence,
            ["approvers"] = JsonSerializer.Serialize(Approvers),
            ["status"] = Status.ToString(),
            ["createdAt"] = CreatedAt,
            ["expiresAt"] = ExpiresAt,
            ["notified"] = Notified,
        };
        if (Settled is { } settled) p["settled"] = settled;
        if (CardCopies.Count > 0) p["cards"] = JsonSerializer.Serialize(CardCopies);
        if (DecidedBy is not null) p["decidedBy"] = DecidedBy;
        if (DecidedByName is not null) p["decidedByName"] = DecidedByName;
        if (DecidedAt is { } at) p["decidedAt"] = at;
        if (Comment is not null) p["comment"] = Comment;
        if (Note is not null) p["note"] = Note;
        if (RuleWords is not null) p["ruleWords"] = RuleWords;
        if (NudgedAt is { } nudged) p["nudgedAt"] = nudged;
        if (Indexed) p["indexed"] = true;
        if (PassedUpByName is not null) p["passedUpByName"] = PassedUpByName;
        if (PassedUpAt is { } passed) p["passedUpAt"] = passed;
        if (Unreachable) p["unreachable"] = true;
        return new TableEntity(TenantId, Id, p);
    }

    public static ApprovalRequest FromEntity(TableEntity e) => new(
        e.RowKey,
        e.PartitionKey,
        e.GetString("requester") ?? "",
        e.GetString("requesterName") ?? "",
        e.GetString("team") ?? "",
        e.GetString("ledgerPartition") ?? "",
        e.GetString("creditRef") ?? "",
        e.GetInt64("amount"),
        e.GetString("currency") ?? "USD",
        e.GetString("customer") ?? "",
        e.GetString("reason") ?? "",
        e.GetString("rule") ?? "",
        e.GetString("ruleSentence") ?? "",
        JsonSerializer.Deserialize<List<string>>(e.GetString("approvers") ?? "[]") ?? [],
        Enum.TryParse<ApprovalStatus>(e.GetString("status"), out var s) ? s : ApprovalStatus.Pending,
        e.GetTime("createdAt") ?? DateTimeOffset.MinValue,
        e.GetTime("expiresAt") ?? DateTimeOffset.MinValue,
        e.GetString("decidedBy"),
        e.GetString("decidedByName"),
        e.GetTime("decidedAt"),
        e.GetString("comment"),
        JsonSerializer.Deserialize<List<CardCopy>>(e.GetString("cards") ?? "[]") ?? [],
        e.GetBool("notified"),
        e.ETag,
        // Rows written before settlement was recorded have no "settled": unknown, so nothing settles them a second time.
        e.Properties.ContainsKey("settled") ? e.GetBool("settled") : null,
        e.GetString("note"),
        e.GetString("ruleWords"),
        e.GetTime("nudgedAt"),
        e.GetBool("indexed"),
        e.GetString("passedUpByName"),
        e.GetTime("passedUpAt"),
        e.GetBool("unreachable"));
}
