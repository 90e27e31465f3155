using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>Fails start-up with the offending key when the root or a team's quiet-time settings are out of range.</summary>
public sealed class QuietTimeOptionsValidator(IConfiguration configuration) : IValidateOptions<QuietTimeOptions>
{
    public const int MinSecretLength = 16;
    private static readonly string[] RootOnly = [nameof(QuietTimeOptions.SignalsSecret), nameof(QuietTimeOptions.MaxSignalBatch), nameof(QuietTimeOptions.MinGroupSize)];

    public ValidateOptionsResult Validate(string? name, QuietTimeOptions options)
    {
        var errors = Validate(options, QuietTimeOptions.Section).ToList();
        if (options.SignalsSecret.Length is > 0 and < MinSecretLength)
            errors.Add($"QuietTime:SignalsSecret must have at least {MinSecretLength} characters (or be empty to switch signals off); set it in the environment as QuietTime__SignalsSecret.");
        if (options.MaxSignalBatch is < 1 or > 1000) errors.Add("QuietTime:MaxSignalBatch must be between 1 and 1000.");
        if (options.MinGroupSize is < 1 or > 100) errors.Add("QuietTime:MinGroupSize must be between 1 and 100.");
        foreach (var (_, merged, section) in PromptPolicies.TeamSections(configuration))
        {
            errors.AddRange(RootOnly.Where(key => section[key] is not null).Select(key => $"{section.Path}:{key} may only be set in the root QuietTime section."));
            // Only what the team itself sets is reported under its key; a bad root value is reported once, above.
            errors.AddRange(Validate(merged, section.Path).Where(e => section[e[(section.Path.Length + 1)..].Split(' ')[0]] is not null));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> Validate(QuietTimeOptions o, string prefix)
    {
        if (o.BreakMinutes is < BreakLength.Min or > BreakLength.Max) yield return $"{prefix}:BreakMinutes must be between {BreakLength.Min} and {BreakLength.Max}.";
        if (o.SnoozeMinutes is < 1 or > 240) yield return $"{prefix}:SnoozeMinutes must be between 1 and 240.";
        if (!Within(o.ContinuousActivity, TimeSpan.Zero)) yield return $"{prefix}:ContinuousActivity must be between 00:00:00 (off) and 1.00:00:00.";
        if (!Within(o.ActivityGap, TimeSpan.FromMinutes(1))) yield return $"{prefix}:ActivityGap must be between 00:01:00 and 1.00:00:00.";
        if (!Within(o.RestAfter, o.ActivityGap)) yield return $"{prefix}:RestAfter must be at least ActivityGap and at most 1.00:00:00.";
        if (o.InteractionsSinceBreak is < 0 or > 10_000) yield return $"{prefix}:InteractionsSinceBreak must be between 0 (off) and 10000.";
        if (o.DifficultInteractions is < 0 or > 100) yield return $"{prefix}:DifficultInteractions must be between 0 (off) and 100.";
        if (!Within(o.DifficultWindow, TimeSpan.FromMinutes(1))) yield return $"{prefix}:DifficultWindow must be between 00:01:00 and 1.00:00:00.";
        if (!Within(o.MinTimeBetweenPrompts, TimeSpan.Zero)) yield return $"{prefix}:MinTimeBetweenPrompts must be between 00:00:00 and 1.00:00:00.";
        if (o.MaxPromptsPerDay is < 0 or > 24) yield return $"{prefix}:MaxPromptsPerDay must be between 0 and 24.";
        if (PromptPolicy.ParseHours(o.WorkingHours) is null) yield return $"{prefix}:WorkingHours '{o.WorkingHours}' must look like 09:00-17:00.";
        if (PromptPolicy.ParseDays(o.WorkingDays) is null) yield return $"{prefix}:WorkingDays '{o.WorkingDays}' must list days like Mon,Tue,Wed,Thu,Fri.";
        if (!Within(o.MaxShift, TimeSpan.FromHours(1))) yield return $"{prefix}:MaxShift must be between 01:00:00 and 1.00:00:00.";
        if (!(o.MaxShareOnBreak > 0 && o.MaxShareOnBreak <= 1)) yield return $"{prefix}:MaxShareOnBreak must be more than 0 and at most 1.";
        if (o.BreakLogRetention < TimeSpan.FromDays(1) || o.BreakLogRetention > TimeSpan.FromDays(366))
            yield return $"{prefix}:BreakLogRetention must be between 1.00:00:00 and 366.00:00:00.";
    }

    private static bool Within(TimeSpan value, TimeSpan min) => value >= min && value <= TimeSpan.FromDays(1);
}
