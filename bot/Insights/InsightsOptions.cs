using System.ComponentModel.DataAnnotations;

namespace EmpowerBot.Insights;

/// <summary>The "Insights" section: when managers receive the weekly digest, in their team's time zone.</summary>
public sealed class InsightsOptions
{
    public bool DigestEnabled { get; set; } = true;

    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    [Range(typeof(TimeSpan), "00:00:00", "23:59:59", ErrorMessage = "Insights:DigestTime must be a time of day, like 09:00.")]
    public TimeSpan DigestTime { get; set; } = TimeSpan.FromHours(9);
}
