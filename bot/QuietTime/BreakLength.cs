namespace EmpowerBot.QuietTime;

/// <summary>How long a break may be: long enough to rest, short enough that the queue stays covered.</summary>
public static class BreakLength
{
    public const int Min = 5;
    public const int Max = 30;
}
