using System.ComponentModel.DataAnnotations;

namespace EmpowerBot.Obstacles;

/// <summary>The "Obstacles" section.</summary>
public sealed class ObstacleOptions
{
    /// <summary>An obstacle open this long goes to the customer-service executive (their `org` view and weekly digest).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00", ErrorMessage = "Obstacles:EscalateAfter must be between 1 day and 365 days.")]
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromDays(14);
}
