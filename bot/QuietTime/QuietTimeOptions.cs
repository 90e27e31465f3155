using EmpowerBot.Hosting;
using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>
/// The "QuietTime" section of appsettings.json: when the bot offers a quiet break, and how the signals endpoint is
/// secured. A team may carry its own "QuietTime" section in Organization:Teams; the keys it names override the root
/// ones for that team (the others keep the root's values): each team's settings are named options, the name being the
/// team's id (<see cref="TeamQuietTime"/>). <see cref="SignalsSecret"/>, <see cref="MaxSignalBatch"/> and
/// <see cref="MinGroupSize"/> belong to the root only.
/// </summary>
public sealed class QuietTimeOptions : ISettings
{
    public const string Section = "QuietTime";

    /// <summary>False: the bot never offers breaks on its own (people can still type "break").</summary>
    public bool PromptsEnabled { get; set; } = true;

    /// <summary>Length of the break a prompt offers and "break" starts, in minutes (5–30).</summary>
    public int BreakMinutes { get; set; } = 10;

    /// <summary>"In 15 min" on a prompt: how long until the bot offers the break again.</summary>
    public int SnoozeMinutes { get; set; } = 15;

    /// <summary>Offer a break after this much continuous activity (activity with gaps shorter than ActivityGap). 0: off.</summary>
    public TimeSpan ContinuousActivity { get; set; } = TimeSpan.FromMinutes(90);

    /// <summary>A pause at least this long ends a stretch of continuous activity.</summary>
    public TimeSpan ActivityGap { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>No activity for this long counts as a break taken: every count starts afresh (lunch, the night).</summary>
    public TimeSpan RestAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Offer a break after this many handled interactions since the last break. 0: off.</summary>
    public int InteractionsSinceBreak { get; set; } = 20;

    /// <summary>Offer a break after this many difficult interactions within DifficultWindow. 0: off.</summary>
    public int DifficultInteractions { get; set; } = 2;

    public TimeSpan DifficultWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Never two prompts closer than this.</summary>
    public TimeSpan MinTimeBetweenPrompts { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many prompts per person per local day.</summary>
    public int MaxPromptsPerDay { get; set; } = 3;

    /// <summary>Working hours in the team's time zone, "HH:mm-HH:mm" (an end before the start spans midnight).</summary>
    public string WorkingHours { get; set; } = "09:00-17:00";

    /// <summary>Working days, comma-separated three-letter English names.</summary>
    public string WorkingDays { get; set; } = "Mon,Tue,Wed,Thu,Fri";

    /// <summary>A shift-start signal without a shift-end counts for at most this long.</summary>
    public TimeSpan MaxShift { get; set; } = TimeSpan.FromHours(14);

    /// <summary>At most this share of a team's reps on a break at once (at least one, so small teams get breaks too).</summary>
    public double MaxShareOnBreak { get; set; } = 0.3;

    /// <summary>How long a person's own break log rows are kept.</summary>
    public TimeSpan BreakLogRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>HMAC key of POST /api/signals (at least 16 characters). Empty: the endpoint is off. Environment only.</summary>
    public string SignalsSecret { get; set; } = "";

    /// <summary>Most events one signals request may carry.</summary>
    public int MaxSignalBatch { get; set; } = 100;

    /// <summary>Team figures are shown only for teams with at least this many reps.</summary>
    public int MinGroupSize { get; set; } = 3;

    /// <summary>Keys that belong to the root section only.</summary>
    internal static readonly string[] RootOnly = [nameof(SignalsSecret), nameof(MaxSignalBatch), nameof(MinGroupSize)];

    /// <summary>Where these settings were read from, named in their problems: "QuietTime", or a team's "Organization:Teams:2:QuietTime".</summary>
    internal string Path { get; set; } = Section;

    /// <summary>Root-only keys that a team's section sets nonetheless.</summary>
    internal IReadOnlyList<string> MisplacedKeys { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        var at = Path;
        if (at == Section)
        {
            if (SignalsSecret.Length is > 0 and < ISettings.MinSecretLength)
                yield return $"QuietTime:SignalsSecret must have at least {ISettings.MinSecretLength} characters (or be empty to switch signals off); set it in the environment as QuietTime__SignalsSecret.";
            if (MaxSignalBatch is < 1 or > 1000) yield return "QuietTime:MaxSignalBatch must be between 1 and 1000.";
            if (MinGroupSize is < 1 or > 100) yield return "QuietTime:MinGroupSize must be between 1 and 100.";
        }
        foreach (var key in MisplacedKeys) yield return $"{at}:{key} may only be set in the root QuietTime section.";
        if (BreakMinutes is < BreakLength.Min or > BreakLength.Max) yield return $"{at}:BreakMinutes must be between {BreakLength.Min} and {BreakLength.Max}.";
        if (SnoozeMinutes is < 1 or > 240) yield return $"{at}:SnoozeMinutes must be between 1 and 240.";
        if (!Within(ContinuousActivity, TimeSpan.Zero)) yield return $"{at}:ContinuousActivity must be between 00:00:00 (off) and 1.00:00:00.";
        if (!Within(ActivityGap, TimeSpan.FromMinutes(1))) yield return $"{at}:ActivityGap must be between 00:01:00 and 1.00:00:00.";
        if (!Within(RestAfter, ActivityGap)) yield return $"{at}:RestAfter must be at least ActivityGap and at most 1.00:00:00.";
        if (InteractionsSinceBreak is < 0 or > 10_000) yield return $"{at}:InteractionsSinceBreak must be between 0 (off) and 10000.";
        if (DifficultInteractions is < 0 or > 100) yield return $"{at}:DifficultInteractions must be between 0 (off) and 100.";
        if (!Within(DifficultWindow, TimeSpan.FromMinutes(1))) yield return $"{at}:DifficultWindow must be between 00:01:00 and 1.00:00:00.";
        if (!Within(MinTimeBetweenPrompts, TimeSpan.Zero)) yield return $"{at}:MinTimeBetweenPrompts must be between 00:00:00 and 1.00:00:00.";
        if (MaxPromptsPerDay is < 0 or > 24) yield return $"{at}:MaxPromptsPerDay must be between 0 and 24.";
        if (PromptPolicy.ParseHours(WorkingHours) is null) yield return $"{at}:WorkingHours '{WorkingHours}' must look like 09:00-17:00.";
        if (PromptPolicy.ParseDays(WorkingDays) is null) yield return $"{at}:WorkingDays '{WorkingDays}' must list days like Mon,Tue,Wed,Thu,Fri.";
        if (!Within(MaxShift, TimeSpan.FromHours(1))) yield return $"{at}:MaxShift must be between 01:00:00 and 1.00:00:00.";
        if (!(MaxShareOnBreak > 0 && MaxShareOnBreak <= 1)) yield return $"{at}:MaxShareOnBreak must be more than 0 and at most 1.";
        if (BreakLogRetention < TimeSpan.FromDays(1) || BreakLogRetention > TimeSpan.FromDays(366))
            yield return $"{at}:BreakLogRetention must be between 1.00:00:00 and 366.00:00:00.";
    }

    private static bool Within(TimeSpan value, TimeSpan min) => value >= min && value <= TimeSpan.FromDays(1);
}

[OptionsValidator]
public sealed partial class QuietTimeOptionsValidator : IValidateOptions<QuietTimeOptions>;
