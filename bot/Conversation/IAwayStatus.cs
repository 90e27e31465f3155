namespace EmpowerBot.Conversation;

/// <summary>An approver's absence, as the approvals feature keeps it: "back" ends it as it ends a break.</summary>
public interface IAwayStatus
{
    /// <summary>Ends the person's absence now; false when they were not away.</summary>
    Task<bool> EndAsync(Person person, CancellationToken ct);
}
