namespace EmpowerBot.Conversation;

/// <summary>Told when someone leaves a team or stops being a manager, so requests waiting for them move on (the approvals feature).</summary>
public interface IApproverChanges
{
    /// <summary>Hands the requests waiting for this person to those who can decide them now; returns how many moved.</summary>
    Task<int> ApproverRemovedAsync(string tenantId, string personKey, CancellationToken ct);
}
