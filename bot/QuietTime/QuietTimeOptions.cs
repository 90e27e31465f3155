namespace EmpowerBot.QuietTime;

/// <summary>
/// The "QuietTime" section of appsettings.json: when the bot offers a quiet break, and how the signals endpoint is
/// secured. A team may carry its own "QuietTime" section in Organization:Teams; the keys it names override the root
/// ones for that team (the others keep the root's values). <see cref="SignalsSecret"/>, <see cref="MaxSignalBatch"/>
/// and <see cref="MinGroupSize"/> belong to the root only.
/// </summary>
public sealed class QuietTimeOptions
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
}
