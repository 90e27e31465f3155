using EmpowerBot.Conversation;
using EmpowerBot.Obstacles;

namespace EmpowerBot.Tests.Obstacles;

public sealed class ObstacleTextTests
{
    [Theory]
    [InlineData("obstacle the refunds mailbox isn't monitored", "the refunds mailbox isn't monitored", false)]
    [InlineData("Obstacle: The Refunds mailbox", "The Refunds mailbox", false)]
    [InlineData("obstacle anonymously the refunds mailbox", "the refunds mailbox", true)]
    [InlineData("obstacle anonymous: the refunds mailbox", "the refunds mailbox", true)]
    [InlineData("Anonymous obstacle - the refunds mailbox", "the refunds mailbox", true)]
    [InlineData("obstacle the refunds mailbox, anonymously.", "the refunds mailbox", true)]
    [InlineData("obstacle the refunds mailbox (anonymously)", "the refunds mailbox", true)]
    [InlineData("obstacle the anonymous survey tool is broken", "the anonymous survey tool is broken", false)]
    [InlineData("<at>EmpowerBot</at> obstacle **the** <b>mailbox</b>", "**the** <b>mailbox</b>", false)]
    [InlineData("obstacle", "", false)]
    [InlineData("obstacle anonymously", "", true)]
    public void A_submission_keeps_the_text_as_typed_and_finds_the_anonymous_flag(string typed, string text, bool anonymous)
    {
        Assert.True(ObstacleText.IsSubmission(CommandText.Normalize(typed), ObstacleKind.Obstacle));
        Assert.Equal(new TypedObstacle(ObstacleKind.Obstacle, text, anonymous), ObstacleText.ReadSubmission(typed, ObstacleKind.Obstacle));
    }

    [Theory]
    [InlineData("obstacles")]
    [InlineData("obstacle-form")]
    [InlineData("obstaclex")]
    [InlineData("idea something")]
    public void Other_words_are_not_an_obstacle_submission(string text) =>
        Assert.False(ObstacleText.IsSubmission(text, ObstacleKind.Obstacle));

    [Theory]
    [InlineData("obstacle 12 fixed Routed to the billing queue.", 12, ObstacleStatus.Fixed, "Routed to the billing queue.")]
    [InlineData("obstacle #12 in progress", 12, ObstacleStatus.InProgress, null)]
    [InlineData("obstacle 12 acknowledged - Looking into it", 12, ObstacleStatus.Acknowledged, "Looking into it")]
    [InlineData("Obstacle 12 won't fix: Contract ends in March", 12, ObstacleStatus.WontFix, "Contract ends in March")]
    [InlineData("obstacle 12 won’t fix Contract ends", 12, ObstacleStatus.WontFix, "Contract ends")]
    [InlineData("obstacle 12 wontfix Contract ends", 12, ObstacleStatus.WontFix, "Contract ends")]
    [InlineData("idea 7 reopen Still happening", 7, ObstacleStatus.Open, "Still happening")]
    public void A_status_command_names_the_obstacle_the_status_and_the_note_as_typed(string typed, long id, ObstacleStatus status, string? note)
    {
        Assert.True(ObstacleText.IsTriage(CommandText.Normalize(typed)));
        Assert.Equal(new TriageRequest(id, status, null, note), ObstacleText.ReadTriage(typed));
    }

    [Fact]
    public void A_single_word_that_is_no_status_is_reported_as_such() =>
        Assert.Equal(new TriageRequest(12, null, "finished", null), ObstacleText.ReadTriage("obstacle 12 finished"));

    [Theory]
    [InlineData("obstacle 3 of our headsets are broken")]
    [InlineData("obstacle 12")]
    [InlineData("obstacle the mailbox")]
    public void Numbers_at_the_start_of_an_obstacle_are_not_a_status_change(string text) =>
        Assert.False(ObstacleText.IsTriage(text));

    [Theory]
    [InlineData("The CRM times out when opening a customer record", ObstacleCategory.SystemsAndTools)]
    [InlineData("Couriers keep missing the booked delivery slots", ObstacleCategory.Process)]
    [InlineData("Nobody knows the price match policy", ObstacleCategory.Policy)]
    [InlineData("We had no training on the new returns portal and the knowledge base is thin", ObstacleCategory.Training)]
    [InlineData("The blue kettles arrive with faulty lids", ObstacleCategory.Product)]
    [InlineData("Free coffee on Fridays", ObstacleCategory.Other)]
    public void The_category_is_guessed_from_keywords(string text, ObstacleCategory category) =>
        Assert.Equal(category, CategoryGuess.For(text));
}
