using EmpowerBot.Conversation;
using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>
/// Each team's <see cref="PromptPolicy"/>, from its named <see cref="QuietTimeOptions"/> (<see cref="TeamQuietTime"/>).
/// Built when the bot starts (<see cref="QuietTimeExtensions"/>), so a team's bad setting fails start-up with every
/// team's problems listed at once.
/// </summary>
public sealed class PromptPolicies
{
    private readonly PromptPolicy root;
    private readonly Dictionary<string, PromptPolicy> teams = new(StringComparer.OrdinalIgnoreCase);

    public PromptPolicies(IOptionsMonitor<QuietTimeOptions> options, IConfiguration configuration)
    {
        root = PromptPolicy.From(options.CurrentValue);
        var problems = new List<string>();
        foreach (var (id, _) in TeamQuietTime.Sections(configuration))
        {
            try
            {
                teams[id] = PromptPolicy.From(options.Get(id));
            }
            catch (OptionsValidationException e)
            {
                problems.AddRange(e.Failures);
            }
        }
        if (problems.Count > 0) throw new OptionsValidationException(QuietTimeOptions.Section, typeof(QuietTimeOptions), problems);
    }

    public PromptPolicy For(Team? team) => team is not null && teams.TryGetValue(team.Id, out var own) ? own : root;
}
