using System.ComponentModel.DataAnnotations;

namespace EmpowerBot.Approvals;

/// <summary>The "Approvals" section of appsettings.json.</summary>
public sealed class ApprovalOptions
{
    /// <summary>How long a request waits for a decision before it expires; a reminder goes out at half-time.</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Person keys who decide when the rep's team has no manager to ask (or only the rep themselves).</summary>
    public List<string> FallbackApprovers { get; set; } = [];

    /// <summary>True: Decline needs a comment, which the rep sees with the outcome and in their history.</summary>
    public bool RequireDeclineReason { get; set; } = true;

    /// <summary>How long a rep waits before Nudge reminds the approvers, and between two nudges.</summary>
    public TimeSpan NudgeAfter { get; set; } = TimeSpan.FromHours(1);

    [Range(1, 2000, ErrorMessage = "Approvals:CommentMaxLength must be between 1 and 2000.")]
    public int CommentMaxLength { get; set; } = 500;
}
