using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Approvals;

/// <summary>The "Approvals" section of appsettings.json.</summary>
public sealed class ApprovalOptions : ISettings
{
    /// <summary>How long a request waits for a decision before it expires; a reminder goes out at half-time.</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Person keys who decide when the rep's team has no manager to ask (or only the rep themselves).</summary>
    public List<string> FallbackApprovers { get; set; } = [];

    /// <summary>True: Decline needs a comment, which the rep sees with the outcome and in their history.</summary>
    public bool RequireDeclineReason { get; set; } = true;

    /// <summary>How long a rep waits before Nudge reminds the approvers, and between two nudges.</summary>
    public TimeSpan NudgeAfter { get; set; } = TimeSpan.FromHours(1);

    public int CommentMaxLength { get; set; } = 500;

    public IEnumerable<string> Problems()
    {
        if (Expiry < TimeSpan.FromMinutes(1)) yield return "Approvals:Expiry must be at least one minute.";
        if (NudgeAfter < TimeSpan.FromMinutes(1)) yield return "Approvals:NudgeAfter must be at least one minute.";
        if (CommentMaxLength is < 1 or > 2000) yield return "Approvals:CommentMaxLength must be between 1 and 2000.";
    }
}

[OptionsValidator]
internal sealed partial class ApprovalOptionsValidator : IValidateOptions<ApprovalOptions>;
