// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Minimal single-owner access control (two-line transfer, events).
abstract contract Owned {
    address public owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error Unauthorized();

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert Unauthorized();
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "owner: zero address");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}
