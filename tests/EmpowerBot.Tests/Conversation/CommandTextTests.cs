using EmpowerBot.Conversation;

namespace EmpowerBot.Tests.Conversation;

public sealed class CommandTextTests
{
    [Theory]
    [InlineData("<at>EmpowerBot</at> Budget?", "budget")]
    [InlineData("  How   much do I have\tleft? ", "how much do i have left")]
    [InlineData("<@U123ABC> help", "help")]
    [InlineData("help&nbsp;", "help")]
    [InlineData("<p>budget</p>", "budget")]
    [InlineData(null, "")]
    public void Mentions_markup_case_and_spacing_do_not_matter(string? text, string expected)
    {
        Assert.Equal(expected, CommandText.Normalize(text));
    }
}
